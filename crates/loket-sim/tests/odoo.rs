//! Odoo imitation over loopback: JSON-RPC, XML-RPC and JSON-2.
#![allow(clippy::unwrap_used)]

mod common;

use loket_sim::{ODOO_API_KEY, ODOO_DB, ODOO_LOGIN, ODOO_PASSWORD};
use serde_json::{json, Value};

struct JsonRpc {
    http: reqwest::Client,
    url: String,
}

impl JsonRpc {
    fn new(base: &str) -> Self {
        JsonRpc {
            http: common::client(),
            url: format!("{base}/jsonrpc"),
        }
    }

    async fn raw(&self, service: &str, method: &str, args: Value) -> Value {
        let resp = self
            .http
            .post(&self.url)
            .json(&json!({"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args}, "id": 9}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let v: Value = resp.json().await.unwrap();
        assert_eq!(v["id"], 9);
        v
    }

    async fn call(&self, service: &str, method: &str, args: Value) -> Value {
        let v = self.raw(service, method, args).await;
        assert!(v.get("error").is_none(), "{v}");
        v["result"].clone()
    }

    async fn kw(&self, model: &str, method: &str, args: Value, kwargs: Value) -> Value {
        self.call(
            "object",
            "execute_kw",
            json!([ODOO_DB, 2, ODOO_PASSWORD, model, method, args, kwargs]),
        )
        .await
    }

    async fn kw_err(
        &self,
        password: &str,
        model: &str,
        method: &str,
        args: Value,
        kwargs: Value,
    ) -> Value {
        let v = self
            .raw(
                "object",
                "execute_kw",
                json!([ODOO_DB, 2, password, model, method, args, kwargs]),
            )
            .await;
        assert_eq!(v["error"]["code"], 200, "{v}");
        assert_eq!(v["error"]["message"], "Odoo Server Error");
        v["error"]["data"].clone()
    }
}

#[tokio::test]
async fn jsonrpc_version_and_authenticate() {
    let sim = common::start().await;
    let rpc = JsonRpc::new(&sim.odoo_url);
    let v = rpc.call("common", "version", json!([])).await;
    assert_eq!(v["server_version"], "17.0");
    assert_eq!(v["server_version_info"], json!([17, 0, 0, "final", 0, ""]));
    assert_eq!(v["protocol_version"], 1);
    assert_eq!(
        rpc.call(
            "common",
            "authenticate",
            json!([ODOO_DB, ODOO_LOGIN, ODOO_PASSWORD, {}])
        )
        .await,
        json!(2)
    );
    assert_eq!(
        rpc.call(
            "common",
            "authenticate",
            json!([ODOO_DB, ODOO_LOGIN, ODOO_API_KEY, {}])
        )
        .await,
        json!(2)
    );
    assert_eq!(
        rpc.call(
            "common",
            "authenticate",
            json!([ODOO_DB, ODOO_LOGIN, "wrong", {}])
        )
        .await,
        json!(false)
    );
    let err = rpc
        .raw(
            "common",
            "authenticate",
            json!(["nodb", ODOO_LOGIN, ODOO_PASSWORD, {}]),
        )
        .await;
    assert_eq!(err["error"]["data"]["name"], "psycopg2.OperationalError");

    // Wrong password on execute_kw: AccessDenied.
    let data = rpc
        .kw_err(
            "wrong",
            "res.partner",
            "search_count",
            json!([[]]),
            json!({}),
        )
        .await;
    assert_eq!(data["name"], "odoo.exceptions.AccessDenied");
    assert_eq!(data["message"], "Access Denied");
    // Unknown model, bad field, bad order, unknown method, private method.
    let data = rpc
        .kw_err(
            ODOO_PASSWORD,
            "no.such.model",
            "search",
            json!([[]]),
            json!({}),
        )
        .await;
    assert_eq!(data["name"], "odoo.exceptions.UserError");
    let data = rpc
        .kw_err(
            ODOO_PASSWORD,
            "res.partner",
            "search_read",
            json!([[["nope", "=", 1]]]),
            json!({}),
        )
        .await;
    assert_eq!(data["name"], "builtins.ValueError");
    assert!(
        data["message"].as_str().unwrap().contains("Invalid field"),
        "{data}"
    );
    let data = rpc
        .kw_err(
            ODOO_PASSWORD,
            "res.partner",
            "search",
            json!([[]]),
            json!({"order": "nope desc"}),
        )
        .await;
    assert_eq!(data["name"], "builtins.ValueError");
    let data = rpc
        .kw_err(
            ODOO_PASSWORD,
            "res.partner",
            "frobnicate",
            json!([]),
            json!({}),
        )
        .await;
    assert_eq!(data["name"], "builtins.AttributeError");
    let data = rpc
        .kw_err(
            ODOO_PASSWORD,
            "res.partner",
            "_private",
            json!([]),
            json!({}),
        )
        .await;
    assert_eq!(data["name"], "odoo.exceptions.AccessError");
    let data = rpc
        .kw_err(
            ODOO_PASSWORD,
            "res.partner",
            "search_read",
            json!([[]]),
            json!({"bogus": 1}),
        )
        .await;
    assert_eq!(data["name"], "builtins.TypeError");
    sim.shutdown().await;
}

#[tokio::test]
async fn jsonrpc_search_read_create_write_unlink() {
    let sim = common::start().await;
    let rpc = JsonRpc::new(&sim.odoo_url);
    let total = rpc
        .kw("res.partner", "search_count", json!([[]]), json!({}))
        .await
        .as_u64()
        .unwrap();
    assert!((150..=260).contains(&total), "{total}");
    let with_archived = rpc
        .kw(
            "res.partner",
            "search_count",
            json!([[["active", "in", [true, false]]]]),
            json!({}),
        )
        .await
        .as_u64()
        .unwrap();
    assert!(with_archived > total);

    // Paging by write_date watermark, ordered write_date, id.
    let page = rpc
        .kw(
            "res.partner",
            "search_read",
            json!([["|", ["is_company", "=", true], ["parent_id", "!=", false]]]),
            json!({"fields": ["name", "write_date", "country_id", "parent_id", "email"], "order": "write_date asc, id asc", "limit": 40, "offset": 0}),
        )
        .await;
    let rows = page.as_array().unwrap();
    assert_eq!(rows.len(), 40);
    let mut last = String::new();
    for r in rows {
        let wd = r["write_date"].as_str().unwrap();
        assert_eq!(wd.len(), 19, "truncated to the second: {wd}");
        assert!(wd >= last.as_str());
        last = wd.to_string();
        let c = &r["country_id"];
        assert!(
            c == &json!(false) || (c[0].is_i64() && c[1].is_string()),
            "{c}"
        );
        assert!(r["parent_id"] == json!(false) || r["parent_id"].is_array());
        assert!(r["email"].is_string() || r["email"] == json!(false));
    }
    let later = rpc
        .kw(
            "res.partner",
            "search_read",
            json!([[["write_date", ">=", last]]]),
            json!({"fields": ["id"], "order": "write_date asc, id asc"}),
        )
        .await;
    assert!(!later.as_array().unwrap().is_empty());

    // ilike, in, not, and many2one by name.
    let cr = rpc
        .kw(
            "res.partner",
            "search_count",
            json!([[["country_id.code", "=", "CR"], ["name", "ilike", "s.a"]]]),
            json!({}),
        )
        .await;
    assert!(cr.as_u64().unwrap() > 0);
    let neg = rpc
        .kw(
            "res.partner",
            "search_count",
            json!([["!", ["id", "in", [10, 11, 12]]]]),
            json!({}),
        )
        .await;
    assert_eq!(neg.as_u64().unwrap(), total - 3);

    // create: dict → id, list → ids.
    let id = rpc
        .kw("res.partner", "create", json!([{"name": "PT Uji Coba Loket", "email": "uji@example.co.id", "is_company": true, "country_id": 100}]), json!({}))
        .await;
    let id = id.as_i64().unwrap();
    let ids = rpc
        .kw("res.partner", "create", json!([[{"name": "Ana Mora", "parent_id": id}, {"name": "Budi Lubis", "parent_id": id}]]), json!({}))
        .await;
    assert_eq!(ids.as_array().unwrap().len(), 2);
    let read = rpc
        .kw(
            "res.partner",
            "read",
            json!([
                [id],
                [
                    "name",
                    "child_ids",
                    "country_id",
                    "write_date",
                    "company_type"
                ]
            ]),
            json!({}),
        )
        .await;
    assert_eq!(read[0]["name"], "PT Uji Coba Loket");
    assert_eq!(read[0]["country_id"], json!([100, "Indonesia"]));
    assert_eq!(read[0]["child_ids"].as_array().unwrap().len(), 2);
    assert_eq!(read[0]["company_type"], "company");
    let child = rpc
        .kw(
            "res.partner",
            "read",
            json!([ids[0].clone(), ["display_name"]]),
            json!({}),
        )
        .await;
    assert_eq!(child[0]["display_name"], "PT Uji Coba Loket, Ana Mora");

    // write moves write_date; archived records are hidden.
    sim.advance_clock(std::time::Duration::from_secs(5));
    assert_eq!(
        rpc.kw(
            "res.partner",
            "write",
            json!([[id], {"active": false, "phone": "+62 61 1234567"}]),
            json!({})
        )
        .await,
        json!(true)
    );
    let after = rpc
        .kw(
            "res.partner",
            "search_read",
            json!([[["id", "=", id], ["active", "in", [true, false]]]]),
            json!({"fields": ["write_date", "phone", "active"]}),
        )
        .await;
    assert!(after[0]["write_date"].as_str().unwrap() > read[0]["write_date"].as_str().unwrap());
    assert_eq!(after[0]["active"], false);
    assert_eq!(
        rpc.kw(
            "res.partner",
            "search",
            json!([[["id", "=", id]]]),
            json!({})
        )
        .await,
        json!([])
    );
    assert_eq!(
        rpc.kw(
            "res.partner",
            "search",
            json!([[["id", "=", id]]]),
            json!({"context": {"active_test": false}})
        )
        .await,
        json!([id])
    );

    // Validation and missing records.
    let data = rpc
        .kw_err(
            ODOO_PASSWORD,
            "res.partner",
            "create",
            json!([{"email": "x@y"}]),
            json!({}),
        )
        .await;
    assert_eq!(data["name"], "odoo.exceptions.ValidationError");
    let data = rpc
        .kw_err(
            ODOO_PASSWORD,
            "res.partner",
            "create",
            json!([{"name": "X", "foo": 1}]),
            json!({}),
        )
        .await;
    assert_eq!(data["name"], "builtins.ValueError");
    let data = rpc
        .kw_err(
            ODOO_PASSWORD,
            "res.partner",
            "write",
            json!([[999_999], {"name": "X"}]),
            json!({}),
        )
        .await;
    assert_eq!(data["name"], "odoo.exceptions.MissingError");

    // mail.activity: To-Do on a partner, found through ir.model and the xml id.
    let model = rpc
        .kw(
            "ir.model",
            "search_read",
            json!([[["model", "=", "res.partner"]]]),
            json!({"fields": ["id"]}),
        )
        .await;
    let model_id = model[0]["id"].as_i64().unwrap();
    let todo = rpc
        .kw(
            "ir.model.data",
            "search_read",
            json!([[
                ["module", "=", "mail"],
                ["name", "=", "mail_activity_data_todo"]
            ]]),
            json!({"fields": ["res_id"]}),
        )
        .await;
    assert_eq!(todo[0]["res_id"], 4);
    let types = rpc
        .kw(
            "mail.activity.type",
            "search_read",
            json!([[["name", "=", "To-Do"]]]),
            json!({"fields": ["name"]}),
        )
        .await;
    assert_eq!(types[0]["id"], 4);
    let act = rpc
        .kw(
            "mail.activity",
            "create",
            json!([{"res_model_id": model_id, "res_id": ids[1].clone(), "activity_type_id": 4, "summary": "Izin habis 30 hari lagi", "note": "<p>Perpanjang</p>", "date_deadline": "2030-01-31"}]),
            json!({}),
        )
        .await;
    let act_read = rpc
        .kw(
            "mail.activity",
            "read",
            json!([[act], ["res_model", "user_id", "state", "activity_type_id"]]),
            json!({}),
        )
        .await;
    assert_eq!(act_read[0]["res_model"], "res.partner");
    assert_eq!(act_read[0]["user_id"][0], 2);
    assert_eq!(act_read[0]["state"], "planned");
    assert_eq!(act_read[0]["activity_type_id"], json!([4, "To-Do"]));
    let data = rpc
        .kw_err(
            ODOO_PASSWORD,
            "mail.activity",
            "create",
            json!([{"res_model_id": model_id, "res_id": ids[1].clone(), "summary": "no date"}]),
            json!({}),
        )
        .await;
    assert_eq!(data["name"], "odoo.exceptions.ValidationError");

    // unlink
    assert_eq!(
        rpc.kw(
            "res.partner",
            "unlink",
            json!([[ids[0].clone()]]),
            json!({})
        )
        .await,
        json!(true)
    );
    let data = rpc
        .kw_err(
            ODOO_PASSWORD,
            "res.partner",
            "read",
            json!([[ids[0].clone()]]),
            json!({}),
        )
        .await;
    assert_eq!(data["name"], "odoo.exceptions.MissingError");
    let fields = rpc
        .kw(
            "res.partner",
            "fields_get",
            json!([]),
            json!({"attributes": ["type", "relation"]}),
        )
        .await;
    assert_eq!(
        fields["parent_id"],
        json!({"type": "many2one", "relation": "res.partner"})
    );
    sim.shutdown().await;
}

fn xml_call(method: &str, params: &[String]) -> String {
    let mut s = format!(
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>{method}</methodName>\n<params>\n"
    );
    for p in params {
        s.push_str(&format!("<param>\n<value>{p}</value>\n</param>\n"));
    }
    s.push_str("</params>\n</methodCall>\n");
    s
}

fn xs(v: &str) -> String {
    format!("<string>{v}</string>")
}

async fn xml_post(
    http: &reqwest::Client,
    url: String,
    body: String,
) -> roxmltree::Document<'static> {
    let resp = http
        .post(url)
        .header("Content-Type", "text/xml")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let text: &'static str = Box::leak(resp.text().await.unwrap().into_boxed_str());
    roxmltree::Document::parse(text).unwrap()
}

fn fault_code(doc: &roxmltree::Document) -> Option<i64> {
    let fault = doc.descendants().find(|n| n.has_tag_name("fault"))?;
    let member = fault
        .descendants()
        .filter(|n| n.has_tag_name("member"))
        .find(|m| {
            m.children()
                .any(|c| c.has_tag_name("name") && c.text() == Some("faultCode"))
        })?;
    member
        .descendants()
        .find(|n| n.has_tag_name("int"))?
        .text()?
        .parse()
        .ok()
}

#[tokio::test]
async fn xmlrpc_authenticate_search_read_create_and_faults() {
    let sim = common::start().await;
    let http = common::client();
    let common_url = format!("{}/xmlrpc/2/common", sim.odoo_url);
    let object_url = format!("{}/xmlrpc/2/object", sim.odoo_url);

    let doc = xml_post(&http, common_url.clone(), xml_call("version", &[])).await;
    assert!(doc
        .descendants()
        .any(|n| n.has_tag_name("string") && n.text() == Some("17.0")));

    let doc = xml_post(
        &http,
        common_url.clone(),
        xml_call(
            "authenticate",
            &[
                xs(ODOO_DB),
                xs(ODOO_LOGIN),
                xs(ODOO_PASSWORD),
                "<struct></struct>".into(),
            ],
        ),
    )
    .await;
    let uid = doc
        .descendants()
        .find(|n| n.has_tag_name("int"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(uid, "2");
    let doc = xml_post(
        &http,
        common_url.clone(),
        xml_call(
            "authenticate",
            &[
                xs(ODOO_DB),
                xs(ODOO_LOGIN),
                xs("bad"),
                "<struct></struct>".into(),
            ],
        ),
    )
    .await;
    assert!(doc
        .descendants()
        .any(|n| n.has_tag_name("boolean") && n.text() == Some("0")));

    let domain = "<array><data><value><array><data><value><string>is_company</string></value><value><string>=</string></value><value><boolean>1</boolean></value></data></array></value></data></array>";
    let args = format!("<array><data><value>{domain}</value></data></array>");
    let kwargs = "<struct><member><name>fields</name><value><array><data><value><string>name</string></value><value><string>country_id</string></value><value><string>vat</string></value></data></array></value></member><member><name>limit</name><value><int>5</int></value></member></struct>";
    let doc = xml_post(
        &http,
        object_url.clone(),
        xml_call(
            "execute_kw",
            &[
                xs(ODOO_DB),
                "<int>2</int>".into(),
                xs(ODOO_PASSWORD),
                xs("res.partner"),
                xs("search_read"),
                args,
                kwargs.into(),
            ],
        ),
    )
    .await;
    assert_eq!(fault_code(&doc), None);
    let structs = doc
        .descendants()
        .filter(|n| n.has_tag_name("struct"))
        .count();
    assert_eq!(structs, 5);
    // Empty values are booleans, never nil.
    assert!(!doc.descendants().any(|n| n.has_tag_name("nil")));

    let create_args = "<array><data><value><struct><member><name>name</name><value><string>Comercial &amp; Hijos S.A.</string></value></member><member><name>is_company</name><value><boolean>1</boolean></value></member></struct></value></data></array>";
    let doc = xml_post(
        &http,
        object_url.clone(),
        xml_call(
            "execute_kw",
            &[
                xs(ODOO_DB),
                "<int>2</int>".into(),
                xs(ODOO_PASSWORD),
                xs("res.partner"),
                xs("create"),
                create_args.into(),
            ],
        ),
    )
    .await;
    let new_id: i64 = doc
        .descendants()
        .find(|n| n.has_tag_name("int"))
        .and_then(|n| n.text())
        .unwrap()
        .parse()
        .unwrap();
    assert!(new_id > 200);

    // Faults: 3 wrong password, 2 unknown model / missing record, 1 bad field, 4 demo user delete.
    let empty_domain =
        "<array><data><value><array><data></data></array></value></data></array>".to_string();
    let doc = xml_post(
        &http,
        object_url.clone(),
        xml_call(
            "execute_kw",
            &[
                xs(ODOO_DB),
                "<int>2</int>".into(),
                xs("bad"),
                xs("res.partner"),
                xs("search"),
                empty_domain.clone(),
            ],
        ),
    )
    .await;
    assert_eq!(fault_code(&doc), Some(3));
    let doc = xml_post(
        &http,
        object_url.clone(),
        xml_call(
            "execute_kw",
            &[
                xs(ODOO_DB),
                "<int>2</int>".into(),
                xs(ODOO_PASSWORD),
                xs("x.y"),
                xs("search"),
                empty_domain.clone(),
            ],
        ),
    )
    .await;
    assert_eq!(fault_code(&doc), Some(2));
    let bad_leaf = "<array><data><value><array><data><value><array><data><value><string>zzz</string></value><value><string>=</string></value><value><int>1</int></value></data></array></value></data></array></value></data></array>";
    let doc = xml_post(
        &http,
        object_url.clone(),
        xml_call(
            "execute_kw",
            &[
                xs(ODOO_DB),
                "<int>2</int>".into(),
                xs(ODOO_PASSWORD),
                xs("res.partner"),
                xs("search"),
                bad_leaf.into(),
            ],
        ),
    )
    .await;
    assert_eq!(fault_code(&doc), Some(1));
    let fault_string = doc
        .descendants()
        .filter(|n| n.has_tag_name("string"))
        .filter_map(|n| n.text())
        .collect::<String>();
    assert!(
        fault_string.contains("ValueError: Invalid field"),
        "{fault_string}"
    );
    let unlink = format!("<array><data><value><array><data><value><int>{new_id}</int></value></data></array></value></data></array>");
    let doc = xml_post(
        &http,
        object_url.clone(),
        xml_call(
            "execute_kw",
            &[
                xs(ODOO_DB),
                "<int>6</int>".into(),
                xs("demo"),
                xs("res.partner"),
                xs("unlink"),
                unlink,
            ],
        ),
    )
    .await;
    assert_eq!(fault_code(&doc), Some(4));
    let doc = xml_post(&http, object_url.clone(), "<methodCall><oops".into()).await;
    assert_eq!(fault_code(&doc), Some(1));
    sim.shutdown().await;
}

#[tokio::test]
async fn json2_by_version() {
    let http = common::client();
    for (version, status) in [(17u8, 404u16), (18, 303)] {
        let sim = common::start_with(|c| c.odoo_version = version).await;
        let no_redirect = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let resp = no_redirect
            .post(format!("{}/json/2/res.partner/search_read", sim.odoo_url))
            .bearer_auth(ODOO_API_KEY)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), status, "odoo {version}");
        sim.shutdown().await;
    }

    let sim = common::start_with(|c| c.odoo_version = 19).await;
    let url = |m: &str, f: &str| format!("{}/json/2/{m}/{f}", sim.odoo_url);
    let resp = http
        .post(url("res.partner", "search_read"))
        .bearer_auth(ODOO_API_KEY)
        .header("X-Odoo-Database", ODOO_DB)
        .json(&json!({"domain": [["name", "ilike", "pt"], ["is_company", "=", true]], "fields": ["name"], "limit": 3, "context": {"lang": "en_US"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let rows: Value = resp.json().await.unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert!(rows[0]["name"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("pt"));

    let created: Value = http
        .post(url("res.partner", "create"))
        .bearer_auth(ODOO_API_KEY)
        .json(&json!({"vals_list": [{"name": "JSON Dos S.A."}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created[0].as_i64().unwrap();
    let read: Value = http
        .post(url("res.partner", "read"))
        .bearer_auth(ODOO_API_KEY)
        .json(&json!({"ids": [id], "fields": ["name"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read, json!([{"id": id, "name": "JSON Dos S.A."}]));

    let resp = http
        .post(url("res.partner", "search_read"))
        .bearer_auth("nope")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(err["name"], "werkzeug.exceptions.Unauthorized");
    let resp = http
        .post(url("res.partner", "read"))
        .bearer_auth(ODOO_API_KEY)
        .json(&json!({"ids": [987654]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let resp = http
        .post(url("res.partner", "search_read"))
        .bearer_auth(ODOO_API_KEY)
        .json(&json!({"badparameter": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let version = JsonRpc::new(&sim.odoo_url)
        .call("common", "version", json!([]))
        .await;
    assert_eq!(version["server_version"], "19.0");
    sim.shutdown().await;
}

#[tokio::test]
async fn login_cooldown_and_bad_requests() {
    let sim = common::start().await;
    let rpc = JsonRpc::new(&sim.odoo_url);
    for _ in 0..5 {
        assert_eq!(
            rpc.call(
                "common",
                "authenticate",
                json!([ODOO_DB, ODOO_LOGIN, "wrong", {}])
            )
            .await,
            json!(false)
        );
    }
    // Too many login failures: even the right password is refused for a while.
    assert_eq!(
        rpc.call(
            "common",
            "authenticate",
            json!([ODOO_DB, ODOO_LOGIN, ODOO_PASSWORD, {}])
        )
        .await,
        json!(false)
    );
    sim.advance_clock(std::time::Duration::from_secs(61));
    assert_eq!(
        rpc.call(
            "common",
            "authenticate",
            json!([ODOO_DB, ODOO_LOGIN, ODOO_PASSWORD, {}])
        )
        .await,
        json!(2)
    );

    let resp = rpc
        .http
        .post(&rpc.url)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let v: Value = resp.json().await.unwrap();
    assert!(v["error"].is_object());
    sim.shutdown().await;
}
