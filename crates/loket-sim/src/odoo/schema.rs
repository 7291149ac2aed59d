//! Field definitions of the in-memory Odoo models.

/// Field types, as `fields_get` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    Integer,
    Float,
    Monetary,
    Char,
    Text,
    Html,
    Boolean,
    Date,
    Datetime,
    Selection(&'static [(&'static str, &'static str)]),
    Many2one(&'static str),
    Many2many(&'static str),
    /// (comodel, inverse field)
    One2many(&'static str, &'static str),
    /// `many2one_reference`: an integer id whose model is in another field.
    Reference,
}

impl Ty {
    /// The type's name in `fields_get`.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Ty::Integer => "integer",
            Ty::Float => "float",
            Ty::Monetary => "monetary",
            Ty::Char => "char",
            Ty::Text => "text",
            Ty::Html => "html",
            Ty::Boolean => "boolean",
            Ty::Date => "date",
            Ty::Datetime => "datetime",
            Ty::Selection(_) => "selection",
            Ty::Many2one(_) => "many2one",
            Ty::Many2many(_) => "many2many",
            Ty::One2many(..) => "one2many",
            Ty::Reference => "many2one_reference",
        }
    }
}

/// One field of a model.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) string: &'static str,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
    pub(crate) readonly: bool,
    /// Stored in the database (searchable, sortable); computed fields are not.
    pub(crate) stored: bool,
}

/// A model: name, description, default order and fields.
#[derive(Clone, Debug)]
pub(crate) struct ModelDef {
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    pub(crate) order: &'static str,
    pub(crate) fields: Vec<Field>,
}

impl ModelDef {
    pub(crate) fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub(crate) fn has_active(&self) -> bool {
        self.field("active").is_some()
    }
}

const fn f(name: &'static str, string: &'static str, ty: Ty) -> Field {
    Field {
        name,
        string,
        ty,
        required: false,
        readonly: false,
        stored: true,
    }
}

const fn req(name: &'static str, string: &'static str, ty: Ty) -> Field {
    Field {
        required: true,
        ..f(name, string, ty)
    }
}

const fn computed(name: &'static str, string: &'static str, ty: Ty) -> Field {
    Field {
        readonly: true,
        stored: false,
        ..f(name, string, ty)
    }
}

const fn ro(name: &'static str, string: &'static str, ty: Ty) -> Field {
    Field {
        readonly: true,
        ..f(name, string, ty)
    }
}

fn model(
    name: &'static str,
    description: &'static str,
    order: &'static str,
    mut fields: Vec<Field>,
) -> ModelDef {
    let mut all = vec![ro("id", "ID", Ty::Integer)];
    all.append(&mut fields);
    all.extend([
        computed("display_name", "Display Name", Ty::Char),
        ro("create_uid", "Created by", Ty::Many2one("res.users")),
        ro("create_date", "Created on", Ty::Datetime),
        ro("write_uid", "Last Updated by", Ty::Many2one("res.users")),
        ro("write_date", "Last Updated on", Ty::Datetime),
    ]);
    ModelDef {
        name,
        description,
        order,
        fields: all,
    }
}

const COMPANY_TYPE: &[(&str, &str)] = &[("person", "Individual"), ("company", "Company")];
const PARTNER_TYPE: &[(&str, &str)] = &[
    ("contact", "Contact"),
    ("invoice", "Invoice Address"),
    ("delivery", "Delivery Address"),
    ("other", "Other Address"),
];
const ACTIVITY_STATE: &[(&str, &str)] = &[
    ("overdue", "Overdue"),
    ("today", "Today"),
    ("planned", "Planned"),
    ("done", "Done"),
];
const ACTIVITY_CATEGORY: &[(&str, &str)] = &[
    ("default", "None"),
    ("upload_file", "Upload Document"),
    ("phonecall", "Phonecall"),
    ("meeting", "Meeting"),
];
const DELAY_UNIT: &[(&str, &str)] = &[("days", "days"), ("weeks", "weeks"), ("months", "months")];
const MODEL_STATE: &[(&str, &str)] = &[("manual", "Custom Object"), ("base", "Base Object")];
const SALE_STATE: &[(&str, &str)] = &[
    ("draft", "Quotation"),
    ("sent", "Quotation Sent"),
    ("sale", "Sales Order"),
    ("cancel", "Cancelled"),
];

/// All models the sandbox serves.
pub(crate) fn definitions() -> Vec<ModelDef> {
    vec![
        model(
            "res.partner",
            "Contact",
            "complete_name ASC, id DESC",
            vec![
                f("name", "Name", Ty::Char),
                Field {
                    readonly: true,
                    ..f("complete_name", "Complete Name", Ty::Char)
                },
                f("email", "Email", Ty::Char),
                f("phone", "Phone", Ty::Char),
                f("mobile", "Mobile", Ty::Char),
                f("website", "Website Link", Ty::Char),
                f("function", "Job Position", Ty::Char),
                f("is_company", "Is a Company", Ty::Boolean),
                Field {
                    stored: false,
                    ..f("company_type", "Company Type", Ty::Selection(COMPANY_TYPE))
                },
                f("type", "Address Type", Ty::Selection(PARTNER_TYPE)),
                f("parent_id", "Related Company", Ty::Many2one("res.partner")),
                computed(
                    "child_ids",
                    "Contact",
                    Ty::One2many("res.partner", "parent_id"),
                ),
                f("street", "Street", Ty::Char),
                f("street2", "Street2", Ty::Char),
                f("city", "City", Ty::Char),
                f("zip", "Zip", Ty::Char),
                f("state_id", "State", Ty::Many2one("res.country.state")),
                f("country_id", "Country", Ty::Many2one("res.country")),
                f("vat", "Tax ID", Ty::Char),
                f("ref", "Reference", Ty::Char),
                f("comment", "Notes", Ty::Html),
                f("lang", "Language", Ty::Char),
                f("user_id", "Salesperson", Ty::Many2one("res.users")),
                f("category_id", "Tags", Ty::Many2many("res.partner.category")),
                f("customer_rank", "Customer Rank", Ty::Integer),
                f("supplier_rank", "Supplier Rank", Ty::Integer),
                f("partner_latitude", "Geo Latitude", Ty::Float),
                f("partner_longitude", "Geo Longitude", Ty::Float),
                f("active", "Active", Ty::Boolean),
            ],
        ),
        model(
            "mail.activity",
            "Activity",
            "date_deadline ASC, id ASC",
            vec![
                req("res_model_id", "Document Model", Ty::Many2one("ir.model")),
                Field {
                    readonly: true,
                    ..f("res_model", "Related Document Model", Ty::Char)
                },
                req("res_id", "Related Document ID", Ty::Reference),
                computed("res_name", "Document Name", Ty::Char),
                f(
                    "activity_type_id",
                    "Activity Type",
                    Ty::Many2one("mail.activity.type"),
                ),
                f("summary", "Summary", Ty::Char),
                f("note", "Note", Ty::Html),
                req("date_deadline", "Due Date", Ty::Date),
                req("user_id", "Assigned to", Ty::Many2one("res.users")),
                computed("state", "State", Ty::Selection(ACTIVITY_STATE)),
            ],
        ),
        model(
            "mail.activity.type",
            "Activity Type",
            "sequence, id",
            vec![
                req("name", "Name", Ty::Char),
                f("summary", "Default Summary", Ty::Char),
                f("sequence", "Sequence", Ty::Integer),
                f("category", "Action", Ty::Selection(ACTIVITY_CATEGORY)),
                f("delay_count", "Schedule", Ty::Integer),
                f("delay_unit", "Delay units", Ty::Selection(DELAY_UNIT)),
                f("res_model", "Model", Ty::Char),
                f("icon", "Icon", Ty::Char),
                f("active", "Active", Ty::Boolean),
            ],
        ),
        model(
            "ir.model",
            "Models",
            "model",
            vec![
                req("name", "Model Description", Ty::Char),
                req("model", "Model", Ty::Char),
                f("state", "Type", Ty::Selection(MODEL_STATE)),
                f("transient", "Transient Model", Ty::Boolean),
                f("info", "Information", Ty::Text),
            ],
        ),
        model(
            "ir.model.data",
            "Model Data",
            "module, model, name",
            vec![
                req("name", "External Identifier", Ty::Char),
                req("module", "Module", Ty::Char),
                req("model", "Model Name", Ty::Char),
                f("res_id", "Record ID", Ty::Reference),
                computed("complete_name", "Complete ID", Ty::Char),
                f("noupdate", "Non Updatable", Ty::Boolean),
            ],
        ),
        model(
            "res.users",
            "User",
            "name, login",
            vec![
                f("name", "Name", Ty::Char),
                req("login", "Login", Ty::Char),
                req("partner_id", "Related Partner", Ty::Many2one("res.partner")),
                f("email", "Email", Ty::Char),
                f("tz", "Timezone", Ty::Char),
                f("lang", "Language", Ty::Char),
                f("share", "Share User", Ty::Boolean),
                f("active", "Active", Ty::Boolean),
            ],
        ),
        model(
            "res.country",
            "Country",
            "name",
            vec![
                req("name", "Country Name", Ty::Char),
                f("code", "Country Code", Ty::Char),
            ],
        ),
        model(
            "res.country.state",
            "Country state",
            "code",
            vec![
                req("name", "State Name", Ty::Char),
                req("code", "State Code", Ty::Char),
                req("country_id", "Country", Ty::Many2one("res.country")),
            ],
        ),
        model(
            "res.partner.category",
            "Partner Tags",
            "name",
            vec![
                req("name", "Tag Name", Ty::Char),
                f("color", "Color", Ty::Integer),
                f(
                    "parent_id",
                    "Parent Category",
                    Ty::Many2one("res.partner.category"),
                ),
                f("active", "Active", Ty::Boolean),
            ],
        ),
        model(
            "sale.order",
            "Sales Order",
            "date_order desc, id desc",
            vec![
                req("name", "Order Reference", Ty::Char),
                req("partner_id", "Customer", Ty::Many2one("res.partner")),
                req("date_order", "Order Date", Ty::Datetime),
                f("state", "Status", Ty::Selection(SALE_STATE)),
                f("client_order_ref", "Customer Reference", Ty::Char),
                f("user_id", "Salesperson", Ty::Many2one("res.users")),
                f("amount_untaxed", "Untaxed Amount", Ty::Monetary),
                f("amount_tax", "Taxes", Ty::Monetary),
                f("amount_total", "Total", Ty::Monetary),
                f("note", "Terms and conditions", Ty::Html),
            ],
        ),
    ]
}
