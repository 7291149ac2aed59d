//! Odoo's RPC services (`common`, `object`, `db`): authentication and `execute_kw`,
//! independent of the transport.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{json, Map, Value};

use super::error::{Kind, OdooError};
use super::models::{Db, Env};
use super::{ADMIN_UID, DEMO_UID};
use crate::{ODOO_API_KEY, ODOO_DB, ODOO_DEMO_PASSWORD, ODOO_PASSWORD};

/// Failed logins before the cooldown starts, and its length (Odoo's defaults).
const COOLDOWN_AFTER: u32 = 5;
const COOLDOWN_SECS: i64 = 60;

/// The imitated server: version, database and login failure bookkeeping.
pub(crate) struct Server {
    pub(crate) version: u8,
    pub(crate) db: Mutex<Db>,
    failures: Mutex<(u32, Option<DateTime<Utc>>)>,
}

/// `version()` answer.
pub(crate) fn version_info(version: u8) -> Value {
    json!({
        "server_version": format!("{version}.0"),
        "server_version_info": [version, 0, 0, "final", 0, ""],
        "server_serie": format!("{version}.0"),
        "protocol_version": 1,
    })
}

fn check_db(db: &Value) -> Result<(), OdooError> {
    match db.as_str() {
        Some(ODOO_DB) => Ok(()),
        Some(other) => Err(OdooError::unknown_db(other)),
        None => Err(OdooError::type_error(format!(
            "expected a database name, got {db}"
        ))),
    }
}

/// The uid whose password or API key this is.
fn credentials_uid(login: &str, password: &str) -> Option<i64> {
    match (login, password) {
        (crate::ODOO_LOGIN, ODOO_PASSWORD | ODOO_API_KEY) => Some(ADMIN_UID),
        (crate::ODOO_DEMO_LOGIN, ODOO_DEMO_PASSWORD) => Some(DEMO_UID),
        _ => None,
    }
}

fn password_ok(uid: i64, password: &str) -> bool {
    match uid {
        ADMIN_UID => password == ODOO_PASSWORD || password == ODOO_API_KEY,
        DEMO_UID => password == ODOO_DEMO_PASSWORD,
        _ => false,
    }
}

/// The uid owning an API key (JSON-2 bearer).
pub(crate) fn api_key_uid(key: &str) -> Option<i64> {
    (key == ODOO_API_KEY).then_some(ADMIN_UID)
}

fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Null)
}

impl Server {
    pub(crate) fn new(version: u8, db: Db) -> Self {
        Server {
            version,
            db: Mutex::new(db),
            failures: Mutex::new((0, None)),
        }
    }

    /// Dispatches `service.method(*args)`.
    pub(crate) fn dispatch(
        &self,
        now: DateTime<Utc>,
        service: &str,
        method: &str,
        args: &[Value],
    ) -> Result<Value, OdooError> {
        match (service, method) {
            ("common", "version") => Ok(version_info(self.version)),
            ("common", "about") => Ok(json!("See http://openerp.com")),
            ("common", "login") => self.authenticate(now, arg(args, 0), arg(args, 1), arg(args, 2)),
            ("common", "authenticate") => {
                self.authenticate(now, arg(args, 0), arg(args, 1), arg(args, 2))
            }
            ("db", "list") => Ok(json!([ODOO_DB])),
            ("db", "server_version") => Ok(json!(format!("{}.0", self.version))),
            ("object", "execute_kw") => {
                let uid = self.check(arg(args, 0), arg(args, 1), arg(args, 2))?;
                let model = model_name(arg(args, 3))?;
                let method = method_name(arg(args, 4))?;
                let call_args = match arg(args, 5) {
                    Value::Array(a) => a.clone(),
                    Value::Null => Vec::new(),
                    other => {
                        return Err(OdooError::type_error(format!(
                            "execute_kw() argument after * must be an iterable, not {other}"
                        )))
                    }
                };
                let kwargs = match arg(args, 6) {
                    Value::Object(m) => m.clone(),
                    Value::Null | Value::Bool(false) => Map::new(),
                    other => {
                        return Err(OdooError::type_error(format!(
                            "execute_kw() argument after ** must be a mapping, not {other}"
                        )))
                    }
                };
                self.call(now, uid, &model, &method, &call_args, &kwargs)
            }
            ("object", "execute") => {
                let uid = self.check(arg(args, 0), arg(args, 1), arg(args, 2))?;
                let model = model_name(arg(args, 3))?;
                let method = method_name(arg(args, 4))?;
                self.call(
                    now,
                    uid,
                    &model,
                    &method,
                    args.get(5..).unwrap_or_default(),
                    &Map::new(),
                )
            }
            ("common" | "db" | "object", m) => Err(OdooError::new(
                Kind::Exception,
                format!("Method not found: {m}"),
            )),
            (s, _) => Err(OdooError::new(
                Kind::Exception,
                format!("No such service: {s}"),
            )),
        }
    }

    /// `authenticate`: the uid, or `false` (wrong password, or during the cooldown that
    /// follows repeated failures).
    fn authenticate(
        &self,
        now: DateTime<Utc>,
        db: &Value,
        login: &Value,
        password: &Value,
    ) -> Result<Value, OdooError> {
        check_db(db)?;
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if let (count, Some(last)) = *failures {
            if count >= COOLDOWN_AFTER && now - last < TimeDelta::seconds(COOLDOWN_SECS) {
                tracing::info!("odoo sim: login refused, too many login failures");
                return Ok(Value::Bool(false));
            }
        }
        let uid = match (login.as_str(), password.as_str()) {
            (Some(l), Some(p)) => credentials_uid(l, p),
            _ => None,
        };
        match uid {
            Some(uid) => {
                *failures = (0, None);
                Ok(json!(uid))
            }
            None => {
                let count = if failures
                    .1
                    .is_some_and(|last| now - last < TimeDelta::seconds(COOLDOWN_SECS))
                {
                    failures.0 + 1
                } else {
                    1
                };
                *failures = (count, Some(now));
                Ok(Value::Bool(false))
            }
        }
    }

    /// Checks `(db, uid, password)` of an `object` call.
    fn check(&self, db: &Value, uid: &Value, password: &Value) -> Result<i64, OdooError> {
        check_db(db)?;
        let uid = match uid {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(OdooError::access_denied)?;
        let ok = password.as_str().is_some_and(|p| password_ok(uid, p));
        if ok {
            Ok(uid)
        } else {
            Err(OdooError::access_denied())
        }
    }

    /// Calls a model method for a checked uid.
    pub(crate) fn call(
        &self,
        now: DateTime<Utc>,
        uid: i64,
        model: &str,
        method: &str,
        args: &[Value],
        kwargs: &Map<String, Value>,
    ) -> Result<Value, OdooError> {
        let mut db = self.db.lock().unwrap_or_else(PoisonError::into_inner);
        db.table(model)?;
        if method.starts_with('_') {
            return Err(OdooError::new(
                Kind::AccessError,
                format!("Private methods (such as '{model}.{method}') cannot be called remotely."),
            ));
        }
        let mut kwargs = kwargs.clone();
        let context = kwargs.remove("context").unwrap_or(Value::Null);
        let env = Env {
            uid,
            now,
            active_test: context.get("active_test") != Some(&Value::Bool(false)),
        };
        let Some(params) = signature(method) else {
            return Err(OdooError::new(
                Kind::AttributeError,
                format!("The method '{method}' does not exist on the model '{model}'"),
            ));
        };
        let on_records = is_record_method(method);
        // Odoo 17 spells name_search's domain `args`.
        if method == "name_search" {
            if let Some(v) = kwargs.remove("args") {
                kwargs.insert("domain".into(), v);
            }
        }
        let (ids, positional) = if on_records {
            let ids = parse_ids(args.first().unwrap_or(&Value::Null))?;
            (ids, args.get(1..).unwrap_or_default())
        } else {
            (Vec::new(), args)
        };
        let bound = bind(method, params, positional, &kwargs)?;
        let get = |name: &str| bound.get(name).unwrap_or(&Value::Null);

        match method {
            "search_read" => {
                let found = db.search(
                    &env,
                    model,
                    get("domain"),
                    offset(get("offset")),
                    limit(get("limit")),
                    order(get("order"))?,
                )?;
                let fields = string_list(get("fields"))?;
                Ok(Value::Array(db.read(
                    &env,
                    model,
                    &found,
                    fields.as_deref(),
                )?))
            }
            "search" => {
                let found = db.search(
                    &env,
                    model,
                    get("domain"),
                    offset(get("offset")),
                    limit(get("limit")),
                    order(get("order"))?,
                )?;
                Ok(json!(found))
            }
            "search_count" => {
                let found = db.search(&env, model, get("domain"), 0, limit(get("limit")), None)?;
                Ok(json!(found.len()))
            }
            "read" => {
                let fields = string_list(get("fields"))?;
                Ok(Value::Array(db.read(
                    &env,
                    model,
                    &ids,
                    fields.as_deref(),
                )?))
            }
            "create" => match get("vals_list") {
                Value::Object(_) => {
                    let created = db.create(&env, model, std::slice::from_ref(get("vals_list")))?;
                    Ok(json!(created.first().copied().unwrap_or_default()))
                }
                Value::Array(list) => Ok(json!(db.create(&env, model, list)?)),
                other => Err(OdooError::type_error(format!(
                    "create() expects a dict or a list of dicts, got {other}"
                ))),
            },
            "write" => {
                db.write(&env, model, &ids, get("vals"))?;
                Ok(Value::Bool(true))
            }
            "unlink" => {
                db.unlink(&env, model, &ids)?;
                Ok(Value::Bool(true))
            }
            "exists" => {
                let table = db.table(model)?;
                Ok(json!(ids
                    .iter()
                    .filter(|i| table.rows.contains_key(i))
                    .collect::<Vec<_>>()))
            }
            "fields_get" => {
                let all = string_list(get("allfields"))?;
                let attrs = string_list(get("attributes"))?;
                db.fields_get(&env, model, all.as_deref(), attrs.as_deref())
            }
            "name_search" => {
                let name = get("name").as_str().unwrap_or_default().to_string();
                let operator = get("operator").as_str().unwrap_or("ilike").to_string();
                let lim = match get("limit") {
                    Value::Null => Some(100),
                    v => limit(v),
                };
                db.name_search(&env, model, &name, get("domain"), &operator, lim)
            }
            "check_access_rights" => Ok(Value::Bool(true)),
            "default_get" => Ok(json!({})),
            _ => Err(OdooError::new(
                Kind::AttributeError,
                format!("The method '{method}' does not exist on the model '{model}'"),
            )),
        }
    }
}

/// Parameter names (after `self`, and after the ids for record methods) of the served
/// methods.
fn signature(method: &str) -> Option<&'static [&'static str]> {
    Some(match method {
        "search_read" => &["domain", "fields", "offset", "limit", "order", "load"],
        "search" => &["domain", "offset", "limit", "order"],
        "search_count" => &["domain", "limit"],
        "read" => &["fields", "load"],
        "create" => &["vals_list"],
        "write" => &["vals"],
        "unlink" | "exists" => &[],
        "fields_get" => &["allfields", "attributes"],
        "name_search" => &["name", "domain", "operator", "limit"],
        "check_access_rights" => &["operation", "raise_exception"],
        "default_get" => &["fields_list"],
        _ => return None,
    })
}

/// Methods called on records: their first positional argument is the ids.
pub(crate) fn is_record_method(method: &str) -> bool {
    matches!(method, "read" | "write" | "unlink" | "exists")
}

fn model_name(v: &Value) -> Result<String, OdooError> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| OdooError::type_error(format!("model name must be a string, got {v}")))
}

fn method_name(v: &Value) -> Result<String, OdooError> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| OdooError::type_error(format!("method name must be a string, got {v}")))
}

/// Binds positional and keyword arguments to parameter names, as Python would.
fn bind(
    method: &str,
    params: &[&str],
    positional: &[Value],
    kwargs: &Map<String, Value>,
) -> Result<Map<String, Value>, OdooError> {
    if positional.len() > params.len() {
        return Err(OdooError::type_error(format!(
            "{method}() takes at most {} positional arguments but {} were given",
            params.len() + 1,
            positional.len() + 1
        )));
    }
    let mut bound = Map::new();
    for (name, v) in params.iter().zip(positional) {
        bound.insert((*name).to_string(), v.clone());
    }
    for (k, v) in kwargs {
        if !params.contains(&k.as_str()) {
            return Err(OdooError::type_error(format!(
                "{method}() got an unexpected keyword argument '{k}'"
            )));
        }
        if bound.contains_key(k) {
            return Err(OdooError::type_error(format!(
                "{method}() got multiple values for argument '{k}'"
            )));
        }
        bound.insert(k.clone(), v.clone());
    }
    Ok(bound)
}

pub(crate) fn parse_ids(v: &Value) -> Result<Vec<i64>, OdooError> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(|i| vec![i])
            .ok_or_else(|| OdooError::type_error(format!("invalid record id {n}"))),
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_i64()
                    .ok_or_else(|| OdooError::type_error(format!("invalid record id {x}")))
            })
            .collect(),
        Value::Null | Value::Bool(false) => Ok(Vec::new()),
        other => Err(OdooError::type_error(format!("invalid record ids {other}"))),
    }
}

fn offset(v: &Value) -> usize {
    v.as_u64()
        .map_or(0, |o| usize::try_from(o).unwrap_or(usize::MAX))
}

fn limit(v: &Value) -> Option<usize> {
    v.as_u64()
        .filter(|l| *l > 0)
        .map(|l| usize::try_from(l).unwrap_or(usize::MAX))
}

fn order(v: &Value) -> Result<Option<&str>, OdooError> {
    match v {
        Value::Null | Value::Bool(false) => Ok(None),
        Value::String(s) => Ok(Some(s.as_str())),
        other => Err(OdooError::value(format!(
            "Invalid \"order\" specified ({other})"
        ))),
    }
}

fn string_list(v: &Value) -> Result<Option<Vec<String>>, OdooError> {
    match v {
        Value::Null | Value::Bool(false) => Ok(None),
        Value::String(s) => Ok(Some(vec![s.clone()])),
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str().map(str::to_string).ok_or_else(|| {
                    OdooError::type_error(format!("field names must be strings, got {x}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        other => Err(OdooError::type_error(format!(
            "expected a list of field names, got {other}"
        ))),
    }
}
