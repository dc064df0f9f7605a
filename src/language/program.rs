//! The checked program: names resolved to schema types, field positions and
//! variable slots. This is what the engine runs; nothing here refers to pest.

use super::ast::{CompareOp, Direction};
use crate::prelude::*;

/// A variable's position in a rule's binding vector.
pub type Slot = usize;

#[derive(Debug, Clone)]
pub struct Program {
    pub schema: Schema,
    pub rules: Vec<Rule>,
}

impl Program {
    pub fn rule_index(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub rationale: String,
    pub pitfalls: String,
    pub references: Vec<String>,
    pub tags: Vec<String>,
    /// The file the rule came from, as given when loading.
    pub file: String,
    pub span: Span,
    /// Variable names (without `?`) by slot.
    pub vars: Vec<String>,
    pub body: Vec<Step>,
    pub conclusions: Vec<Conclusion>,
    pub template: Template,
}

impl Rule {
    pub fn derives(&self) -> bool {
        self.conclusions.iter().any(|c| matches!(c, Conclusion::Derive { .. }))
    }
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
    pub fn slot(&self, name: &str) -> Option<Slot> {
        self.vars.iter().position(|v| v == name)
    }
}

/// One condition, in the order it runs.
#[derive(Debug, Clone)]
pub enum Step {
    /// Join with the facts of a type.
    Match(PatternStep),
    /// No fact of the type matches (closed world over what is reported).
    Not(PatternStep),
    Filter {
        lhs: Expr,
        op: CompareOp,
        rhs: Expr,
        span: Span,
    },
    /// `?x in LIST` where `?x` is not yet bound: one binding per element.
    Member {
        slot: Slot,
        list: Expr,
    },
    Let {
        slot: Slot,
        expr: Expr,
    },
    /// Number of distinct bindings of `counted` that satisfy `body`.
    Count {
        slot: Slot,
        body: Vec<Step>,
        counted: Vec<Slot>,
    },
    /// `term` added up over the distinct bindings of `summed` that satisfy
    /// `body`; the match then rests on every fact the body matched.
    Sum {
        slot: Slot,
        body: Vec<Step>,
        summed: Vec<Slot>,
        term: Expr,
    },
}

#[derive(Debug, Clone)]
pub struct PatternStep {
    pub ty: TypeId,
    pub fields: Vec<(usize, Term)>,
    /// The position of the `report` field, when the pattern names it.
    pub binds_report: bool,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Term {
    /// First occurrence: bind the slot to the field's value.
    Bind(Slot),
    /// The field must equal this expression (a bound slot or a constant).
    Equal(Expr),
}

#[derive(Debug, Clone)]
pub enum Expr {
    Const(Value),
    Slot(Slot),
    List(Vec<Expr>),
    Call(Builtin, Vec<Expr>),
    Binary(super::ast::BinOp, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Days,
    AnniversaryGap,
    Abs,
    Min,
    Max,
    Log10,
    /// 10 to the power x: a weight summed in log10 space back to a ratio.
    Pow10,
    Sqrt,
    Len,
    Date,
}

impl Builtin {
    pub const ALL: [(&'static str, Builtin); 10] = [
        ("days", Builtin::Days),
        ("anniversary_gap", Builtin::AnniversaryGap),
        ("abs", Builtin::Abs),
        ("min", Builtin::Min),
        ("max", Builtin::Max),
        ("log10", Builtin::Log10),
        ("pow10", Builtin::Pow10),
        ("sqrt", Builtin::Sqrt),
        ("len", Builtin::Len),
        ("date", Builtin::Date),
    ];
}

#[derive(Debug, Clone)]
pub enum Hypothesis {
    Other,
    Actor(Expr),
}

/// How strong a weighing conclusion is.
#[derive(Debug, Clone)]
pub enum Ratio {
    /// A term of the verbal scale or a constant: the ratio and how it was written.
    Fixed(f64, String),
    /// Computed per match; checked positive and finite when evaluated.
    Computed(Expr, String),
}

impl Ratio {
    pub fn describe(&self) -> String {
        match self {
            Ratio::Fixed(_, text) | Ratio::Computed(_, text) => text.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Conclusion {
    Weigh {
        direction: Direction,
        hypothesis: Hypothesis,
        incident: Expr,
        ratio: Option<Ratio>,
        span: Span,
    },
    Undercut {
        target: usize,
        bindings: Vec<(Slot, Expr)>,
        span: Span,
    },
    /// Defeats every argument of every other rule with the tag that matches
    /// what is given: resting on the artifact, about the incident, for the actor.
    UndercutTagged {
        tag: String,
        artifact: Option<Expr>,
        incident: Option<Expr>,
        actor: Option<Expr>,
        span: Span,
    },
    /// Gives every argument of every other rule with the tag that matches what
    /// is given a companion argument, for the same hypothesis and incident, with
    /// this ratio (its reciprocal for an argument that opposes), holding when
    /// both hold and undercut with it.
    StrengthenTagged {
        tag: String,
        artifact: Option<Expr>,
        incident: Option<Expr>,
        actor: Option<Expr>,
        ratio: Ratio,
        span: Span,
    },
    Derive {
        ty: TypeId,
        fields: Vec<Expr>,
        span: Span,
    },
}

/// An explanation with `{var}` holes.
#[derive(Debug, Clone, Default)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Debug, Clone)]
pub enum TemplatePart {
    Text(String),
    Slot(Slot),
}

impl Template {
    pub fn render(&self, bindings: &[Option<Value>]) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                TemplatePart::Text(t) => out.push_str(t),
                TemplatePart::Slot(s) => match bindings.get(*s).and_then(|v| v.as_ref()) {
                    Some(v) => out.push_str(&v.to_string()),
                    None => out.push('?'),
                },
            }
        }
        out
    }
}
