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
