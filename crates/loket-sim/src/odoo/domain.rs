//! Odoo search domains: prefix (`&`, `|`, `!`) expressions of `[field, operator, value]`
//! leaves, evaluated against in-memory records.

use std::cmp::Ordering;

use serde_json::Value;

use super::error::OdooError;
use super::models::{cmp_values, falsy, parse_dt, Db, Env, Row};
use super::schema::Ty;
use crate::text::py_repr;

const OPERATORS: &[&str] = &[
    "=",
    "!=",
    "<>",
    "<=",
    "<",
    ">",
    ">=",
    "=?",
    "=like",
    "=ilike",
    "like",
    "not like",
    "ilike",
    "not ilike",
    "in",
    "not in",
    "child_of",
    "parent_of",
];

enum Node {
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Const(bool),
    Leaf {
        path: Vec<String>,
        op: String,
        value: Value,
    },
}

/// A parsed, field-checked domain.
pub(crate) struct Domain {
    root: Option<Node>,
}

fn syntax_error(domain: &Value) -> OdooError {
    OdooError::value(format!(
        "Domain {} is syntactically not correct.",
        py_repr(domain)
    ))
}

impl Domain {
    /// Parses a domain (`false` / `null` / `[]` match everything) and checks its fields.
    pub(crate) fn parse(db: &Db, model: &str, domain: &Value) -> Result<Domain, OdooError> {
        let elements = match domain {
            Value::Null | Value::Bool(false) => return Ok(Domain { root: None }),
            Value::Array(a) => a,
            _ => return Err(syntax_error(domain)),
        };
        let mut stack: Vec<Node> = Vec::new();
        for el in elements.iter().rev() {
            match el {
                Value::String(op) if op == "&" || op == "|" => {
                    let a = stack.pop().ok_or_else(|| syntax_error(domain))?;
                    let b = stack.pop().ok_or_else(|| syntax_error(domain))?;
                    stack.push(if op == "&" {
                        Node::And(Box::new(a), Box::new(b))
                    } else {
                        Node::Or(Box::new(a), Box::new(b))
                    });
                }
                Value::String(op) if op == "!" => {
                    let a = stack.pop().ok_or_else(|| syntax_error(domain))?;
                    stack.push(Node::Not(Box::new(a)));
                }
                Value::Array(leaf) => stack.push(parse_leaf(db, model, leaf)?),
                _ => return Err(syntax_error(domain)),
            }
        }
        // Consecutive terms are joined by an implicit '&'.
        let root = stack
            .into_iter()
            .rev()
            .reduce(|acc, n| Node::And(Box::new(acc), Box::new(n)));
        Ok(Domain { root })
    }

    /// Whether a leaf of the domain is about the field (e.g. `active`).
    pub(crate) fn mentions(&self, field: &str) -> bool {
        fn walk(n: &Node, field: &str) -> bool {
            match n {
                Node::And(a, b) | Node::Or(a, b) => walk(a, field) || walk(b, field),
                Node::Not(a) => walk(a, field),
                Node::Const(_) => false,
                Node::Leaf { path, .. } => path.first().is_some_and(|p| p == field),
            }
        }
        self.root.as_ref().is_some_and(|r| walk(r, field))
    }

    /// Whether the record satisfies the domain.
    pub(crate) fn matches(&self, db: &Db, env: &Env, model: &str, id: i64, row: &Row) -> bool {
        fn eval(n: &Node, db: &Db, env: &Env, model: &str, id: i64, row: &Row) -> bool {
            match n {
                Node::And(a, b) => {
                    eval(a, db, env, model, id, row) && eval(b, db, env, model, id, row)
                }
                Node::Or(a, b) => {
                    eval(a, db, env, model, id, row) || eval(b, db, env, model, id, row)
                }
                Node::Not(a) => !eval(a, db, env, model, id, row),
                Node::Const(c) => *c,
                Node::Leaf { path, op, value } => {
                    eval_leaf(db, env, model, id, row, path, op, value)
                }
            }
        }
        self.root
            .as_ref()
            .is_none_or(|r| eval(r, db, env, model, id, row))
    }
}

fn parse_leaf(db: &Db, model: &str, leaf: &[Value]) -> Result<Node, OdooError> {
    let shown = py_repr(&Value::Array(leaf.to_vec()));
    let invalid = || OdooError::value(format!("Invalid leaf {shown}"));
    let [lhs, op, value] = leaf else {
        return Err(invalid());
    };
    let op = op.as_str().ok_or_else(invalid)?.to_ascii_lowercase();
    if !OPERATORS.contains(&op.as_str()) {
        return Err(OdooError::value(format!(
            "Invalid operator {op:?} in leaf {shown}"
        )));
    }
    let name = match lhs {
        // TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1).
        Value::Number(n) if op == "=" => {
            return Ok(Node::Const(n.as_i64() == value.as_i64()));
        }
        Value::String(s) => s,
        _ => return Err(invalid()),
    };
    let path: Vec<String> = name.split('.').map(str::to_string).collect();
    let mut current = model.to_string();
    for (i, part) in path.iter().enumerate() {
        let table = db.table(&current)?;
        let field = table.def.field(part).ok_or_else(|| {
            OdooError::value(format!("Invalid field {current}.{part} in leaf {shown}"))
        })?;
        if i + 1 < path.len() {
            current = match field.ty {
                Ty::Many2one(c) | Ty::Many2many(c) | Ty::One2many(c, _) => c.to_string(),
                _ => {
                    return Err(OdooError::value(format!(
                        "Invalid field {current}.{part} in leaf {shown}"
                    )))
                }
            };
        }
    }
    Ok(Node::Leaf {
        path,
        op,
        value: value.clone(),
    })
}

fn is_negative(op: &str) -> bool {
    matches!(op, "!=" | "<>" | "not in" | "not like" | "not ilike")
}

#[allow(clippy::too_many_arguments)]
fn eval_leaf(
    db: &Db,
    env: &Env,
    model: &str,
    id: i64,
    row: &Row,
    path: &[String],
    op: &str,
    value: &Value,
) -> bool {
    let Some(name) = path.first() else {
        return false;
    };
    let Ok(table) = db.table(model) else {
        return false;
    };
    let Some(field) = table.def.field(name) else {
        return false;
    };
    let raw = db.raw(env, model, id, row, name);
    let comodel = match field.ty {
        Ty::Many2one(c) | Ty::Many2many(c) | Ty::One2many(c, _) => Some(c),
        _ => None,
    };
    let targets = || -> Vec<i64> {
        match &raw {
            Value::Number(n) => n.as_i64().into_iter().collect(),
            Value::Array(a) => a.iter().filter_map(Value::as_i64).collect(),
            _ => Vec::new(),
        }
    };

    if let (Some(c), true) = (comodel, path.len() > 1) {
        let ids = targets();
        if ids.is_empty() {
            return is_negative(op);
        }
        let Ok(ct) = db.table(c) else {
            return false;
        };
        let rest = path.get(1..).unwrap_or_default();
        return ids.iter().any(|tid| {
            ct.rows
                .get(tid)
                .is_some_and(|trow| eval_leaf(db, env, c, *tid, trow, rest, op, value))
        });
    }

    if op == "child_of" || op == "parent_of" {
        return hierarchy(db, model, id, op, value);
    }

    if let Some(c) = comodel {
        let by_name = match value {
            Value::String(_) => true,
            Value::Array(a) => !a.is_empty() && a.iter().all(Value::is_string),
            _ => false,
        };
        if by_name {
            let names: Vec<Value> = targets()
                .iter()
                .map(|t| Value::String(db.display_name(c, *t)))
                .collect();
            return if names.is_empty() {
                compare(Ty::Char, &Value::Null, op, value)
            } else if is_negative(op) {
                names.iter().all(|n| compare(Ty::Char, n, op, value))
            } else {
                names.iter().any(|n| compare(Ty::Char, n, op, value))
            };
        }
        if !matches!(field.ty, Ty::Many2one(_)) {
            return set_compare(&targets(), op, value);
        }
    }
    compare(field.ty, &raw, op, value)
}

/// `child_of` / `parent_of` along `parent_id`.
fn hierarchy(db: &Db, model: &str, id: i64, op: &str, value: &Value) -> bool {
    let wanted: Vec<i64> = match value {
        Value::Array(a) => a.iter().filter_map(Value::as_i64).collect(),
        v => v.as_i64().into_iter().collect(),
    };
    let Ok(table) = db.table(model) else {
        return false;
    };
    let ancestors = |start: i64| -> Vec<i64> {
        let mut chain = vec![start];
        let mut cur = start;
        for _ in 0..64 {
            match table
                .rows
                .get(&cur)
                .and_then(|r| r.get("parent_id"))
                .and_then(Value::as_i64)
            {
                Some(p) if !chain.contains(&p) => {
                    chain.push(p);
                    cur = p;
                }
                _ => break,
            }
        }
        chain
    };
    if op == "child_of" {
        ancestors(id).iter().any(|a| wanted.contains(a))
    } else {
        wanted.iter().any(|w| ancestors(*w).contains(&id))
    }
}

/// Operators on to-many fields: `=`/`in` mean "contains any", negatives "contains none".
fn set_compare(ids: &[i64], op: &str, value: &Value) -> bool {
    let wanted: Vec<i64> = match value {
        Value::Array(a) => a.iter().filter_map(Value::as_i64).collect(),
        v => v.as_i64().into_iter().collect(),
    };
    if falsy(value) && !matches!(value, Value::Array(a) if !a.is_empty()) {
        // (field, '=', False): the set is empty.
        let empty = ids.is_empty();
        return if is_negative(op) { !empty } else { empty };
    }
    let any = ids.iter().any(|i| wanted.contains(i));
    if is_negative(op) {
        !any
    } else {
        any
    }
}

fn eq(ty: Ty, raw: &Value, v: &Value) -> bool {
    if falsy(v) && matches!(v, Value::Bool(false) | Value::Null) {
        return falsy(raw);
    }
    if raw.is_null() {
        return false;
    }
    ord(ty, raw, v) == Some(Ordering::Equal)
}

fn ord(ty: Ty, raw: &Value, v: &Value) -> Option<Ordering> {
    match ty {
        Ty::Datetime => {
            let a = parse_dt(raw.as_str()?)?;
            let b = parse_dt(v.as_str()?)?;
            Some(a.cmp(&b))
        }
        Ty::Boolean => Some((!falsy(raw)).cmp(&!falsy(v))),
        _ => match (raw, v) {
            (Value::Number(a), Value::String(b)) => {
                let b: f64 = b.trim().parse().ok()?;
                a.as_f64()?.partial_cmp(&b)
            }
            (Value::String(a), Value::Number(b)) => {
                let a: f64 = a.trim().parse().ok()?;
                a.partial_cmp(&b.as_f64()?)
            }
            (Value::Bool(_), Value::Number(_)) | (Value::Number(_), Value::Bool(_)) => None,
            _ => Some(cmp_values(raw, v)),
        },
    }
}

fn compare(ty: Ty, raw: &Value, op: &str, value: &Value) -> bool {
    let raw = match (ty, raw) {
        (Ty::Boolean, Value::Null) => &Value::Bool(false),
        _ => raw,
    };
    match op {
        "=" => eq(ty, raw, value),
        "=?" => value.is_null() || value == &Value::Bool(false) || eq(ty, raw, value),
        "!=" | "<>" => {
            if falsy(value) && matches!(value, Value::Bool(false) | Value::Null) {
                !falsy(raw)
            } else {
                raw.is_null() || !eq(ty, raw, value)
            }
        }
        "<" | "<=" | ">" | ">=" => {
            if raw.is_null() || value.is_null() || value == &Value::Bool(false) {
                return false;
            }
            match ord(ty, raw, value) {
                Some(o) => match op {
                    "<" => o == Ordering::Less,
                    "<=" => o != Ordering::Greater,
                    ">" => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                },
                None => false,
            }
        }
        "in" | "not in" => {
            let list: Vec<Value> = match value {
                Value::Array(a) => a.clone(),
                v => vec![v.clone()],
            };
            let hit = list.iter().any(|v| eq(ty, raw, v));
            if op == "in" {
                hit
            } else {
                !hit
            }
        }
        "like" | "not like" | "ilike" | "not ilike" | "=like" | "=ilike" => {
            let text = match raw {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            let pattern = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            let insensitive = op.contains("ilike");
            let pattern = if op.starts_with('=') {
                pattern
            } else {
                format!("%{pattern}%")
            };
            let hit = text.is_some_and(|t| {
                if insensitive {
                    like(&pattern.to_lowercase(), &t.to_lowercase())
                } else {
                    like(&pattern, &t)
                }
            });
            if op.starts_with("not") {
                !hit
            } else {
                hit
            }
        }
        _ => false,
    }
}

/// SQL LIKE: `%` any run, `_` one character, `\` escapes.
fn like(pattern: &str, text: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum P {
        Any,
        One,
        Lit(char),
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '%' => P::Any,
            '_' => P::One,
            '\\' => P::Lit(chars.next().unwrap_or('\\')),
            c => P::Lit(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    // dp[j]: tokens[..i] match text[..j]
    let mut dp = vec![false; text.len() + 1];
    dp[0] = true;
    for tok in &tokens {
        let mut next = vec![false; text.len() + 1];
        match tok {
            P::Any => {
                let mut seen = false;
                for j in 0..=text.len() {
                    seen |= dp[j];
                    next[j] = seen;
                }
            }
            P::One | P::Lit(_) => {
                for j in 1..=text.len() {
                    next[j] = dp[j - 1]
                        && match tok {
                            P::Lit(c) => text.get(j - 1) == Some(c),
                            _ => true,
                        };
                }
            }
        }
        dp = next;
    }
    dp[text.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns() {
        assert!(like("%deco%", "the deco shop"));
        assert!(like("a_c", "abc"));
        assert!(!like("a_c", "abbc"));
        assert!(like("100\\%", "100%"));
        assert!(!like("abc", "abcd"));
        assert!(like("%", ""));
    }
}
