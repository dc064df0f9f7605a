//! A parsed YAML/JSON document, independent of the YAML library.

use std::borrow::Cow;

/// A document node. Maps keep their written order. Texts and keys borrow
/// from the document where the parser allows (JSON without escapes), so a
/// large file is not copied string by string on its way to the loader.
#[derive(Clone, Debug, PartialEq)]
pub enum Tree<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(Cow<'a, str>),
    Seq(Vec<Tree<'a>>),
    Map(Vec<(Cow<'a, str>, Tree<'a>)>),
}

impl Tree<'_> {
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

impl Tree<'_> {
    /// The same tree, owning its texts.
    #[cfg(test)]
    pub fn into_owned(self) -> Tree<'static> {
        match self {
            Tree::Null => Tree::Null,
            Tree::Bool(b) => Tree::Bool(b),
            Tree::Num(n) => Tree::Num(n),
            Tree::Str(s) => Tree::Str(Cow::Owned(s.into_owned())),
            Tree::Seq(items) => Tree::Seq(items.into_iter().map(Tree::into_owned).collect()),
            Tree::Map(entries) => Tree::Map(entries.into_iter().map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned())).collect()),
        }
    }
}

impl Tree<'static> {
    /// A JSON value as a tree (importers build JSON values of the evidence format).
    pub fn from_json(value: serde_json::Value) -> Tree<'static> {
        match value {
            serde_json::Value::Null => Tree::Null,
            serde_json::Value::Bool(b) => Tree::Bool(b),
            serde_json::Value::Number(n) => Tree::Num(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Tree::Str(Cow::Owned(s)),
            serde_json::Value::Array(items) => Tree::Seq(items.into_iter().map(Tree::from_json).collect()),
            serde_json::Value::Object(map) => Tree::Map(map.into_iter().map(|(k, v)| (Cow::Owned(k), Tree::from_json(v))).collect()),
        }
    }
}
