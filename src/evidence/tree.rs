//! A parsed YAML/JSON document, independent of the YAML library.

/// A document node. Maps keep their written order.
#[derive(Clone, Debug, PartialEq)]
pub enum Tree {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

impl Tree {
    pub fn describe(&self) -> &'static str {
        match self {
            Tree::Null => "nothing",
            Tree::Bool(_) => "a boolean",
            Tree::Num(_) => "a number",
            Tree::Str(_) => "a string",
            Tree::Seq(_) => "a list",
            Tree::Map(_) => "a mapping",
        }
    }
}

impl Tree {
    /// A JSON value as a tree (importers build JSON values of the evidence format).
    pub fn from_json(value: serde_json::Value) -> Tree {
        match value {
            serde_json::Value::Null => Tree::Null,
            serde_json::Value::Bool(b) => Tree::Bool(b),
            serde_json::Value::Number(n) => Tree::Num(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Tree::Str(s),
            serde_json::Value::Array(items) => Tree::Seq(items.into_iter().map(Tree::from_json).collect()),
            serde_json::Value::Object(map) => Tree::Map(map.into_iter().map(|(k, v)| (k, Tree::from_json(v))).collect()),
        }
    }
}
