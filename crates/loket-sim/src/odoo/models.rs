//! The in-memory Odoo database: tables of records and the ORM methods served over RPC.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{json, Map, Value};

use super::domain::Domain;
use super::error::{Kind, OdooError};
use super::schema::{definitions, Field, ModelDef, Ty};

/// Raw stored values of one record (many2one as an id, many2many as a list of ids,
/// datetimes with microseconds, NULL as `null`).
pub(crate) type Row = Map<String, Value>;

/// Who is calling and when.
#[derive(Clone, Debug)]
pub(crate) struct Env {
    pub(crate) uid: i64,
    pub(crate) now: DateTime<Utc>,
    /// `context.active_test`: hide archived records unless the domain mentions `active`.
    pub(crate) active_test: bool,
}

/// One model's records.
pub(crate) struct Table {
    pub(crate) def: ModelDef,
    pub(crate) rows: BTreeMap<i64, Row>,
    pub(crate) next_id: i64,
}

/// All models.
pub(crate) struct Db {
    tables: HashMap<&'static str, Table>,
}

/// Format of stored datetimes (Odoo keeps microseconds, answers seconds).
pub(crate) const DT_STORED: &str = "%Y-%m-%d %H:%M:%S%.6f";
const DT_ODOO: &str = "%Y-%m-%d %H:%M:%S";

pub(crate) fn stored_dt(t: DateTime<Utc>) -> String {
    t.format(DT_STORED).to_string()
}

/// Parses a datetime as Odoo accepts it: `YYYY-MM-DD HH:MM:SS[.ffffff]`, ISO `T`, or a date.
pub(crate) fn parse_dt(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    let t = s.replacen('T', " ", 1);
    let t = t.trim_end_matches('Z');
    NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Read,
    Create,
    Write,
    Unlink,
}

/// Does the value count as Odoo's "empty" (False, NULL, '', [])?
pub(crate) fn falsy(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

impl Db {
    /// An empty database with every model defined.
    pub(crate) fn new() -> Self {
        let tables = definitions()
            .into_iter()
            .map(|def| {
                (
                    def.name,
                    Table {
                        def,
                        rows: BTreeMap::new(),
                        next_id: 1,
                    },
                )
            })
            .collect();
        Db { tables }
    }

    pub(crate) fn table(&self, model: &str) -> Result<&Table, OdooError> {
        self.tables
            .get(model)
            .ok_or_else(|| OdooError::user(format!("Object {model} doesn't exist")))
    }

    fn table_mut(&mut self, model: &str) -> Result<&mut Table, OdooError> {
        self.tables
            .get_mut(model)
            .ok_or_else(|| OdooError::user(format!("Object {model} doesn't exist")))
    }

    /// Inserts a seed record as is, with an explicit id.
    pub(crate) fn seed(&mut self, model: &str, id: i64, row: Value) {
        if let (Some(t), Value::Object(row)) = (self.tables.get_mut(model), row) {
            t.rows.insert(id, row);
            t.next_id = t.next_id.max(id + 1);
        }
    }

    pub(crate) fn exists(&self, model: &str, id: i64) -> bool {
        self.tables
            .get(model)
            .is_some_and(|t| t.rows.contains_key(&id))
    }

    fn row(&self, model: &str, id: i64) -> Option<&Row> {
        self.tables.get(model).and_then(|t| t.rows.get(&id))
    }

    /// A field's raw value, computing the computed ones.
    pub(crate) fn raw(&self, env: &Env, model: &str, id: i64, row: &Row, field: &str) -> Value {
        match (model, field) {
            (_, "id") => json!(id),
            (_, "display_name") => json!(self.display_name(model, id)),
            ("res.partner", "complete_name") => json!(self.display_name(model, id)),
            ("res.partner", "company_type") => {
                let company = row.get("is_company").is_some_and(|v| !falsy(v));
                json!(if company { "company" } else { "person" })
            }
            ("res.partner", "child_ids") => Value::Array(
                self.tables
                    .get("res.partner")
                    .map(|t| {
                        t.rows
                            .iter()
                            .filter(|(_, r)| {
                                r.get("parent_id").and_then(Value::as_i64) == Some(id)
                                    && r.get("active").is_none_or(|a| !falsy(a))
                            })
                            .map(|(cid, _)| json!(cid))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            ("mail.activity", "res_model") => row
                .get("res_model_id")
                .and_then(Value::as_i64)
                .and_then(|mid| self.row("ir.model", mid))
                .and_then(|r| r.get("model").cloned())
                .unwrap_or(Value::Null),
            ("mail.activity", "res_name") => {
                let target = self.raw(env, model, id, row, "res_model");
                match (target.as_str(), row.get("res_id").and_then(Value::as_i64)) {
                    (Some(m), Some(rid)) if self.exists(m, rid) => json!(self.display_name(m, rid)),
                    _ => Value::Null,
                }
            }
            ("mail.activity", "state") => {
                let today = env.now.date_naive();
                match row
                    .get("date_deadline")
                    .and_then(Value::as_str)
                    .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                {
                    Some(d) if d < today => json!("overdue"),
                    Some(d) if d == today => json!("today"),
                    Some(_) => json!("planned"),
                    None => Value::Null,
                }
            }
            ("ir.model.data", "complete_name") => json!(format!(
                "{}.{}",
                row.get("module")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
                row.get("name").and_then(Value::as_str).unwrap_or_default()
            )),
            _ => row.get(field).cloned().unwrap_or(Value::Null),
        }
    }

    /// The record's display name.
    pub(crate) fn display_name(&self, model: &str, id: i64) -> String {
        let Some(row) = self.row(model, id) else {
            return String::new();
        };
        let s = |k: &str| {
            row.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        match model {
            "res.partner" => {
                let name = s("name");
                let parent = row.get("parent_id").and_then(Value::as_i64);
                let company = row.get("is_company").is_some_and(|v| !falsy(v));
                match parent {
                    Some(p) if !company && p != id => {
                        // The parent's own name: no recursion through the hierarchy.
                        let pname = self
                            .row(model, p)
                            .and_then(|r| r.get("name"))
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string();
                        if name.is_empty() {
                            pname
                        } else {
                            format!("{pname}, {name}")
                        }
                    }
                    _ => name,
                }
            }
            "ir.model.data" => format!("{}.{}", s("module"), s("name")),
            "mail.activity" => {
                let summary = s("summary");
                if summary.is_empty() {
                    row.get("activity_type_id")
                        .and_then(Value::as_i64)
                        .map(|t| self.display_name("mail.activity.type", t))
                        .unwrap_or_default()
                } else {
                    summary
                }
            }
            _ => {
                let name = s("name");
                if name.is_empty() {
                    format!("{model},{id}")
                } else {
                    name
                }
            }
        }
    }

    /// A raw value as `read` answers it: many2one as `[id, name]`, empty as `false`.
    fn export(&self, field: &Field, raw: Value) -> Value {
        match field.ty {
            Ty::Many2one(comodel) => match raw.as_i64() {
                Some(id) => json!([id, self.display_name(comodel, id)]),
                None => Value::Bool(false),
            },
            Ty::Many2many(_) | Ty::One2many(..) => match raw {
                Value::Array(a) => Value::Array(a),
                _ => json!([]),
            },
            Ty::Integer | Ty::Reference => match raw {
                Value::Number(_) => raw,
                _ => json!(0),
            },
            Ty::Float | Ty::Monetary => match raw.as_f64() {
                Some(f) => json!(f),
                None => json!(0.0),
            },
            Ty::Boolean => Value::Bool(!falsy(&raw)),
            Ty::Datetime => match raw.as_str() {
                Some(s) if !s.is_empty() => json!(s.get(..19).unwrap_or(s)),
                _ => Value::Bool(false),
            },
            _ => {
                if falsy(&raw) {
                    Value::Bool(false)
                } else {
                    raw
                }
            }
        }
    }

    fn invalid_field(model: &str, field: &str) -> OdooError {
        OdooError::value(format!("Invalid field '{field}' on model '{model}'"))
    }

    pub(crate) fn check_access(&self, env: &Env, model: &str, op: Op) -> Result<(), OdooError> {
        if env.uid != super::DEMO_UID {
            return Ok(());
        }
        let writable = matches!(model, "res.partner" | "mail.activity" | "sale.order");
        let allowed = match op {
            Op::Read => true,
            Op::Create | Op::Write => writable,
            Op::Unlink => false,
        };
        if allowed {
            return Ok(());
        }
        let description = self.table(model)?.def.description;
        let verb = match op {
            Op::Read => "access",
            Op::Create => "create",
            Op::Write => "modify",
            Op::Unlink => "delete",
        };
        Err(OdooError::new(
            Kind::AccessError,
            format!(
                "You are not allowed to {verb} '{description}' ({model}) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Settings\n\nContact your administrator to request access if necessary."
            ),
        ))
    }

    /// `search`: ids matching the domain, ordered, sliced.
    pub(crate) fn search(
        &self,
        env: &Env,
        model: &str,
        domain: &Value,
        offset: usize,
        limit: Option<usize>,
        order: Option<&str>,
    ) -> Result<Vec<i64>, OdooError> {
        let table = self.table(model)?;
        self.check_access(env, model, Op::Read)?;
        let domain = Domain::parse(self, model, domain)?;
        let hide_archived = env.active_test && table.def.has_active() && !domain.mentions("active");
        let mut ids: Vec<i64> = Vec::new();
        for (id, row) in &table.rows {
            if hide_archived && row.get("active").is_some_and(falsy) {
                continue;
            }
            if domain.matches(self, env, model, *id, row) {
                ids.push(*id);
            }
        }
        let order = order
            .filter(|o| !o.trim().is_empty())
            .unwrap_or(table.def.order);
        self.sort(env, table, &mut ids, order)?;
        let ids = ids.into_iter().skip(offset);
        Ok(match limit {
            Some(l) => ids.take(l).collect(),
            None => ids.collect(),
        })
    }

    fn sort(
        &self,
        env: &Env,
        table: &Table,
        ids: &mut [i64],
        order: &str,
    ) -> Result<(), OdooError> {
        let bad = || {
            OdooError::value(format!(
                "Invalid \"order\" specified ({order}). A valid \"order\" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)"
            ))
        };
        let mut keys: Vec<(&Field, bool)> = Vec::new();
        for term in order.split(',') {
            let mut words = term.split_whitespace();
            let name = words.next().ok_or_else(bad)?;
            let desc = match words.next().map(str::to_ascii_lowercase).as_deref() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(_) => return Err(bad()),
            };
            if words.next().is_some() && !term.to_ascii_lowercase().contains("nulls") {
                return Err(bad());
            }
            let field = table.def.field(name).ok_or_else(bad)?;
            if !field.stored && name != "id" {
                return Err(bad());
            }
            keys.push((field, desc));
        }
        let model = table.def.name;
        let sort_key = |id: i64, field: &Field| -> Value {
            let row = table.rows.get(&id);
            let raw = row.map_or(Value::Null, |r| self.raw(env, model, id, r, field.name));
            match field.ty {
                Ty::Many2one(comodel) => raw
                    .as_i64()
                    .map_or(Value::Null, |t| json!(self.display_name(comodel, t))),
                _ => raw,
            }
        };
        ids.sort_by(|a, b| {
            for (field, desc) in &keys {
                let (va, vb) = (sort_key(*a, field), sort_key(*b, field));
                // PostgreSQL: NULLs sort last ascending, first descending.
                let ord = match (va.is_null(), vb.is_null()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    (false, false) => cmp_values(&va, &vb),
                };
                let ord = if *desc { ord.reverse() } else { ord };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            Ordering::Equal
        });
        Ok(())
    }

    /// Field list for `read`: the asked ones (checked) or all.
    fn read_fields<'a>(
        &'a self,
        def: &'a ModelDef,
        fields: Option<&[String]>,
    ) -> Result<Vec<&'a Field>, OdooError> {
        match fields {
            Some(names) if !names.is_empty() => names
                .iter()
                .map(|n| def.field(n).ok_or_else(|| Self::invalid_field(def.name, n)))
                .collect(),
            _ => Ok(def.fields.iter().collect()),
        }
    }

    /// `read`: the records as dicts; a missing id is a MissingError.
    pub(crate) fn read(
        &self,
        env: &Env,
        model: &str,
        ids: &[i64],
        fields: Option<&[String]>,
    ) -> Result<Vec<Value>, OdooError> {
        let table = self.table(model)?;
        self.check_access(env, model, Op::Read)?;
        let missing: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !table.rows.contains_key(id))
            .collect();
        if !missing.is_empty() {
            return Err(OdooError::missing(model, &missing, env.uid));
        }
        let fields = self.read_fields(&table.def, fields)?;
        let mut out = Vec::with_capacity(ids.len());
        let mut seen = std::collections::HashSet::new();
        for id in ids {
            if !seen.insert(*id) {
                continue;
            }
            let Some(row) = table.rows.get(id) else {
                continue;
            };
            let mut rec = Map::new();
            rec.insert("id".into(), json!(id));
            for field in &fields {
                let raw = self.raw(env, model, *id, row, field.name);
                rec.insert(field.name.to_string(), self.export(field, raw));
            }
            out.push(Value::Object(rec));
        }
        Ok(out)
    }

    /// Converts one written value to its stored form.
    fn convert_in(
        &self,
        model: &str,
        field: &Field,
        value: &Value,
        old: Option<&Value>,
    ) -> Result<Value, OdooError> {
        let wrong = || {
            OdooError::value(format!(
                "Wrong value for {model}.{}: {}",
                field.name,
                crate::text::py_repr(value)
            ))
        };
        Ok(match field.ty {
            Ty::Char | Ty::Text | Ty::Html => match value {
                Value::Null | Value::Bool(false) => Value::Null,
                Value::String(s) => json!(s),
                Value::Number(n) => json!(n.to_string()),
                _ => return Err(wrong()),
            },
            Ty::Selection(options) => match value {
                Value::Null | Value::Bool(false) => Value::Null,
                Value::String(s) if options.iter().any(|(k, _)| k == s) => json!(s),
                _ => return Err(wrong()),
            },
            Ty::Boolean => match value {
                Value::Null => json!(false),
                Value::Bool(b) => json!(b),
                Value::Number(n) => json!(n.as_f64().unwrap_or(0.0) != 0.0),
                Value::String(s) => json!(!s.is_empty()),
                _ => return Err(wrong()),
            },
            Ty::Integer | Ty::Reference => match value {
                Value::Null | Value::Bool(false) => json!(0),
                Value::Bool(true) => json!(1),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => json!(i),
                    None => json!(n.as_f64().unwrap_or(0.0).trunc() as i64),
                },
                Value::String(s) => json!(s.trim().parse::<i64>().map_err(|_| {
                    OdooError::value(format!("invalid literal for int() with base 10: '{s}'"))
                })?),
                _ => return Err(wrong()),
            },
            Ty::Float | Ty::Monetary => match value {
                Value::Null | Value::Bool(false) => json!(0.0),
                Value::Number(n) => json!(n.as_f64().unwrap_or(0.0)),
                Value::String(s) => json!(s.trim().parse::<f64>().map_err(|_| {
                    OdooError::value(format!("could not convert string to float: '{s}'"))
                })?),
                _ => return Err(wrong()),
            },
            Ty::Date => match value {
                Value::Null | Value::Bool(false) => Value::Null,
                Value::String(s) => {
                    let day = s.get(..10).unwrap_or(s);
                    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| {
                        OdooError::value(format!(
                            "time data '{s}' does not match format '%Y-%m-%d'"
                        ))
                    })?;
                    json!(d.format("%Y-%m-%d").to_string())
                }
                _ => return Err(wrong()),
            },
            Ty::Datetime => match value {
                Value::Null | Value::Bool(false) => Value::Null,
                Value::String(s) => {
                    let t = parse_dt(s).ok_or_else(|| {
                        OdooError::value(format!(
                            "time data '{s}' does not match format '{DT_ODOO}'"
                        ))
                    })?;
                    json!(t.format(DT_STORED).to_string())
                }
                _ => return Err(wrong()),
            },
            Ty::Many2one(comodel) => {
                let id = match value {
                    Value::Null | Value::Bool(false) => return Ok(Value::Null),
                    Value::Number(n) => n.as_i64().ok_or_else(wrong)?,
                    Value::Array(a) => a.first().and_then(Value::as_i64).ok_or_else(wrong)?,
                    _ => return Err(wrong()),
                };
                if id == 0 {
                    return Ok(Value::Null);
                }
                if !self.exists(comodel, id) {
                    return Err(self.integrity_error(model, field));
                }
                json!(id)
            }
            Ty::Many2many(comodel) => {
                let mut ids: Vec<i64> = old
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_i64).collect())
                    .unwrap_or_default();
                let commands = match value {
                    Value::Null | Value::Bool(false) => return Ok(json!([])),
                    Value::Array(a) => a,
                    _ => return Err(wrong()),
                };
                if commands.iter().all(Value::is_i64) {
                    // A plain list of ids replaces the set.
                    ids = commands.iter().filter_map(Value::as_i64).collect();
                } else {
                    for c in commands {
                        let c = c.as_array().ok_or_else(wrong)?;
                        let code = c.first().and_then(Value::as_i64).ok_or_else(wrong)?;
                        let arg = c.get(1).and_then(Value::as_i64).unwrap_or(0);
                        match code {
                            3 => ids.retain(|i| *i != arg),
                            4 => {
                                if !ids.contains(&arg) {
                                    ids.push(arg);
                                }
                            }
                            5 => ids.clear(),
                            6 => {
                                ids = c
                                    .get(2)
                                    .and_then(Value::as_array)
                                    .map(|a| a.iter().filter_map(Value::as_i64).collect())
                                    .unwrap_or_default();
                            }
                            _ => return Err(wrong()),
                        }
                    }
                }
                if let Some(bad) = ids.iter().find(|i| !self.exists(comodel, **i)) {
                    return Err(OdooError::missing(comodel, &[*bad], 0));
                }
                json!(ids)
            }
            Ty::One2many(..) => return Err(wrong()),
        })
    }

    fn integrity_error(&self, model: &str, field: &Field) -> OdooError {
        let description = self.tables.get(model).map_or(model, |t| t.def.description);
        OdooError::new(
            Kind::ValidationError,
            format!(
                "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: {description} ({model})\nField: {} ({})",
                field.string, field.name
            ),
        )
    }

    /// Applies written values to a row (computed and log-access fields are ignored).
    fn apply(
        &self,
        model: &str,
        def: &ModelDef,
        row: &mut Row,
        vals: &Value,
    ) -> Result<(), OdooError> {
        let vals = vals
            .as_object()
            .ok_or_else(|| OdooError::type_error(format!("vals must be a dict, got {vals}")))?;
        for (name, value) in vals {
            let field = def
                .field(name)
                .ok_or_else(|| Self::invalid_field(model, name))?;
            if matches!(
                field.name,
                "id" | "display_name" | "create_uid" | "create_date" | "write_uid" | "write_date"
            ) {
                continue;
            }
            if model == "res.partner" && field.name == "company_type" {
                row.insert(
                    "is_company".into(),
                    json!(value.as_str() == Some("company")),
                );
                continue;
            }
            if !field.stored || matches!(field.ty, Ty::One2many(..)) {
                continue;
            }
            if model == "mail.activity" && field.name == "res_model" {
                continue;
            }
            let stored = self.convert_in(model, field, value, row.get(field.name))?;
            row.insert(field.name.to_string(), stored);
        }
        Ok(())
    }

    /// Constraints checked after create / write.
    fn check_row(
        &self,
        env: &Env,
        model: &str,
        def: &ModelDef,
        row: &Row,
    ) -> Result<(), OdooError> {
        for field in def.fields.iter().filter(|f| f.required && f.stored) {
            let v = row.get(field.name).unwrap_or(&Value::Null);
            let missing = match field.ty {
                Ty::Integer | Ty::Reference => v.as_i64().unwrap_or(0) == 0,
                _ => v.is_null() || v.as_str() == Some(""),
            };
            if missing {
                return Err(self.integrity_error(model, field));
            }
        }
        if model == "res.partner"
            && row.get("name").is_none_or(falsy)
            && row.get("type").and_then(Value::as_str).unwrap_or("contact") == "contact"
        {
            return Err(OdooError::new(
                Kind::ValidationError,
                "The operation cannot be completed: Contacts require a name",
            ));
        }
        if model == "mail.activity" {
            let target = row
                .get("res_model_id")
                .and_then(Value::as_i64)
                .and_then(|mid| self.row("ir.model", mid))
                .and_then(|r| r.get("model"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let rid = row.get("res_id").and_then(Value::as_i64).unwrap_or(0);
            if !self.exists(&target, rid) {
                return Err(OdooError::missing(&target, &[rid], env.uid));
            }
        }
        Ok(())
    }

    fn defaults(env: &Env, model: &str, def: &ModelDef) -> Row {
        let mut row = Row::new();
        if def.has_active() {
            row.insert("active".into(), json!(true));
        }
        match model {
            "res.partner" => {
                row.insert("is_company".into(), json!(false));
                row.insert("type".into(), json!("contact"));
            }
            "mail.activity" => {
                row.insert("user_id".into(), json!(env.uid));
            }
            "sale.order" => {
                row.insert("state".into(), json!("draft"));
                row.insert("date_order".into(), json!(stored_dt(env.now)));
            }
            _ => {}
        }
        row
    }

    /// `create`: one row per dict, all or nothing; returns the new ids.
    pub(crate) fn create(
        &mut self,
        env: &Env,
        model: &str,
        vals_list: &[Value],
    ) -> Result<Vec<i64>, OdooError> {
        self.check_access(env, model, Op::Create)?;
        let def = self.table(model)?.def.clone();
        let now = stored_dt(env.now);
        let mut rows = Vec::with_capacity(vals_list.len());
        for vals in vals_list {
            let mut row = Self::defaults(env, model, &def);
            self.apply(model, &def, &mut row, vals)?;
            self.check_row(env, model, &def, &row)?;
            row.insert("create_uid".into(), json!(env.uid));
            row.insert("write_uid".into(), json!(env.uid));
            row.insert("create_date".into(), json!(now));
            row.insert("write_date".into(), json!(now));
            rows.push(row);
        }
        let table = self.table_mut(model)?;
        let mut ids = Vec::with_capacity(rows.len());
        for row in rows {
            let id = table.next_id;
            table.next_id += 1;
            table.rows.insert(id, row);
            ids.push(id);
        }
        Ok(ids)
    }

    /// `write`: the same values on every record, all or nothing.
    pub(crate) fn write(
        &mut self,
        env: &Env,
        model: &str,
        ids: &[i64],
        vals: &Value,
    ) -> Result<(), OdooError> {
        let table = self.table(model)?;
        self.check_access(env, model, Op::Write)?;
        let missing: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !table.rows.contains_key(id))
            .collect();
        if !missing.is_empty() {
            return Err(OdooError::missing(model, &missing, env.uid));
        }
        let def = table.def.clone();
        let now = stored_dt(env.now);
        let mut updated = Vec::with_capacity(ids.len());
        for id in ids {
            let mut row = table.rows.get(id).cloned().unwrap_or_default();
            self.apply(model, &def, &mut row, vals)?;
            self.check_row(env, model, &def, &row)?;
            row.insert("write_uid".into(), json!(env.uid));
            row.insert("write_date".into(), json!(now));
            updated.push((*id, row));
        }
        let table = self.table_mut(model)?;
        for (id, row) in updated {
            table.rows.insert(id, row);
        }
        Ok(())
    }

    /// `unlink`: deletes the records; references to them are cleared, a partner still
    /// used by a user cannot go, a document's activities go with it.
    pub(crate) fn unlink(&mut self, env: &Env, model: &str, ids: &[i64]) -> Result<(), OdooError> {
        let table = self.table(model)?;
        self.check_access(env, model, Op::Unlink)?;
        let missing: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !table.rows.contains_key(id))
            .collect();
        if !missing.is_empty() {
            return Err(OdooError::missing(model, &missing, env.uid));
        }
        if model == "res.partner" {
            if let Ok(users) = self.table("res.users") {
                if users.rows.values().any(|u| {
                    u.get("partner_id")
                        .and_then(Value::as_i64)
                        .is_some_and(|p| ids.contains(&p))
                }) {
                    return Err(OdooError::new(
                        Kind::ValidationError,
                        "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: User (res.users)\nConstraint: res_users_partner_id_fkey",
                    ));
                }
            }
        }
        let model_id = self.table("ir.model").ok().and_then(|t| {
            t.rows
                .iter()
                .find(|(_, r)| r.get("model").and_then(Value::as_str) == Some(model))
                .map(|(id, _)| *id)
        });
        for t in self.tables.values_mut() {
            let refs: Vec<&'static str> = t
                .def
                .fields
                .iter()
                .filter(|f| {
                    f.stored && matches!(f.ty, Ty::Many2one(c) | Ty::Many2many(c) if c == model)
                })
                .map(|f| f.name)
                .collect();
            if t.def.name == "mail.activity" {
                if let Some(mid) = model_id {
                    t.rows.retain(|_, r| {
                        !(r.get("res_model_id").and_then(Value::as_i64) == Some(mid)
                            && r.get("res_id")
                                .and_then(Value::as_i64)
                                .is_some_and(|x| ids.contains(&x)))
                    });
                }
            }
            for row in t.rows.values_mut() {
                for name in &refs {
                    match row.get_mut(*name) {
                        Some(Value::Array(a)) => {
                            a.retain(|v| v.as_i64().is_none_or(|i| !ids.contains(&i)))
                        }
                        Some(v) if v.as_i64().is_some_and(|i| ids.contains(&i)) => *v = Value::Null,
                        _ => {}
                    }
                }
            }
        }
        let table = self.table_mut(model)?;
        for id in ids {
            table.rows.remove(id);
        }
        Ok(())
    }

    /// `fields_get`: field descriptions, optionally limited to some fields and attributes.
    pub(crate) fn fields_get(
        &self,
        env: &Env,
        model: &str,
        allfields: Option<&[String]>,
        attributes: Option<&[String]>,
    ) -> Result<Value, OdooError> {
        let table = self.table(model)?;
        self.check_access(env, model, Op::Read)?;
        let mut out = Map::new();
        for field in &table.def.fields {
            if let Some(names) = allfields.filter(|a| !a.is_empty()) {
                if !names.iter().any(|n| n == field.name) {
                    continue;
                }
            }
            let mut desc = Map::new();
            desc.insert("type".into(), json!(field.ty.name()));
            desc.insert("string".into(), json!(field.string));
            desc.insert("required".into(), json!(field.required));
            desc.insert("readonly".into(), json!(field.readonly));
            desc.insert("store".into(), json!(field.stored));
            desc.insert("searchable".into(), json!(true));
            desc.insert("sortable".into(), json!(field.stored));
            match field.ty {
                Ty::Many2one(c) | Ty::Many2many(c) => {
                    desc.insert("relation".into(), json!(c));
                }
                Ty::One2many(c, inverse) => {
                    desc.insert("relation".into(), json!(c));
                    desc.insert("relation_field".into(), json!(inverse));
                }
                Ty::Selection(options) => {
                    desc.insert(
                        "selection".into(),
                        Value::Array(options.iter().map(|(k, v)| json!([k, v])).collect()),
                    );
                }
                _ => {}
            }
            if let Some(attrs) = attributes.filter(|a| !a.is_empty()) {
                desc.retain(|k, _| attrs.iter().any(|a| a == k));
            }
            out.insert(field.name.to_string(), Value::Object(desc));
        }
        Ok(Value::Object(out))
    }

    /// `name_search`: `[[id, display_name], …]` of records whose name matches.
    pub(crate) fn name_search(
        &self,
        env: &Env,
        model: &str,
        name: &str,
        domain: &Value,
        operator: &str,
        limit: Option<usize>,
    ) -> Result<Value, OdooError> {
        let mut leaves = match domain {
            Value::Array(a) => a.clone(),
            _ => Vec::new(),
        };
        if !name.is_empty() {
            leaves.push(json!(["display_name", operator, name]));
        }
        let ids = self.search(env, model, &Value::Array(leaves), 0, limit, None)?;
        Ok(Value::Array(
            ids.iter()
                .map(|id| json!([id, self.display_name(model, *id)]))
                .collect(),
        ))
    }
}

/// Orders two non-null values of the same field.
pub(crate) fn cmp_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    }
}
