//! The checked program: names resolved to schema types, field positions and
//! variable slots. This is what the engine runs; nothing here refers to pest.

use super::ast::{CompareOp, Direction};
use crate::prelude::*;

/// A variable's position in a rule's binding vector.
pub type Slot = usize;

/// Checked rules and the schema they were checked against: what the engine runs.
#[derive(Debug, Clone)]
pub struct Program {
    /// The fact types: the built-in evidence model plus the rules' own findings.
    pub schema: Schema,
    /// The rules, in load order.
    pub rules: Vec<Rule>,
}

impl Program {
    /// The index of the rule with this id.
    pub fn rule_index(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }
}

/// One checked rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Its id, such as `infra.geoip`.
    pub id: String,
    /// What it captures, in one line.
    pub title: String,
    /// Why it weighs what it weighs.
    pub rationale: String,
    /// When it misleads.
    pub pitfalls: String,
    /// Its sources.
    pub references: Vec<String>,
    /// Its tags (`forgeable`, `indirect`, ...), which tagged undercuts reach.
    pub tags: Vec<String>,
    /// The file the rule came from, as given when loading.
    pub file: String,
    /// Where it is written.
    pub span: Span,
    /// Variable names (without `?`) by slot.
    pub vars: Vec<String>,
    /// Its conditions, in the order they run.
    pub body: Vec<Step>,
    /// What it concludes for each match.
    pub conclusions: Vec<Conclusion>,
    /// Its explanation (`because`).
    pub template: Template,
}

impl Rule {
    /// Whether it derives a finding.
    pub fn derives(&self) -> bool {
        self.conclusions.iter().any(|c| matches!(c, Conclusion::Derive { .. }))
    }
    /// Whether it carries the tag.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
    /// The slot of a variable (named without `?`).
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
    /// A comparison that must hold.
    Filter {
        /// The left side.
        lhs: Expr,
        /// The comparison.
        op: CompareOp,
        /// The right side.
        rhs: Expr,
        /// Where it is written.
        span: Span,
    },
    /// `?x in LIST` where `?x` is not yet bound: one binding per element.
    Member {
        /// The variable bound to each element.
        slot: Slot,
        /// The list.
        list: Expr,
    },
    /// `let ?x = EXPR`: binds a variable to a value.
    Let {
        /// The variable.
        slot: Slot,
        /// Its value.
        expr: Expr,
    },
    /// Number of distinct bindings of `counted` that satisfy `body`.
    Count {
        /// The variable bound to the count.
        slot: Slot,
        /// The conditions counted.
        body: Vec<Step>,
        /// The variables whose distinct bindings are counted.
        counted: Vec<Slot>,
    },
    /// `term` added up over the distinct bindings of `summed` that satisfy
    /// `body`; like a count, it reads the facts as stated (the match does not
    /// rest on them).
    Sum {
        /// The variable bound to the total.
        slot: Slot,
        /// The conditions each term must satisfy.
        body: Vec<Step>,
        /// The variables whose distinct bindings each add one term.
        summed: Vec<Slot>,
        /// The term added up.
        term: Expr,
    },
    /// `let ?p = credence { body }`: the probability, under the reports'
    /// gradings, that at least one match of `body` holds; the match does not
    /// rest on the facts the block looked at (it cites them).
    Credence {
        /// The variable bound to the probability.
        slot: Slot,
        /// The conditions whose matches are weighed.
        body: Vec<Step>,
    },
}

/// A pattern over the facts of one type.
#[derive(Debug, Clone)]
pub struct PatternStep {
    /// The type.
    pub ty: TypeId,
    /// The fields it names (by position) and what each must be.
    pub fields: Vec<(usize, Term)>,
    /// The position of the `report` field, when the pattern names it.
    pub binds_report: bool,
    /// Where it is written.
    pub span: Span,
}

/// What a pattern's field must be.
#[derive(Debug, Clone)]
pub enum Term {
    /// First occurrence: bind the slot to the field's value.
    Bind(Slot),
    /// The field must equal this expression (a bound slot or a constant).
    Equal(Expr),
}

/// A checked expression.
#[derive(Debug, Clone)]
pub enum Expr {
    /// A constant.
    Const(Value),
    /// A bound variable.
    Slot(Slot),
    /// A list of expressions.
    List(Vec<Expr>),
    /// A built-in function applied to arguments.
    Call(Builtin, Vec<Expr>),
    /// An arithmetic operation.
    Binary(super::ast::BinOp, Box<Expr>, Box<Expr>),
    /// A negation.
    Neg(Box<Expr>),
}

/// The built-in functions of the rule language (docs/language.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// `days(a, b)`: days from one date to another.
    Days,
    /// `anniversary_gap(date, reference)`: days to the nearest anniversary.
    AnniversaryGap,
    /// `abs(x)`.
    Abs,
    /// `min(a, b, ...)`.
    Min,
    /// `max(a, b, ...)`.
    Max,
    /// `log10(x)`.
    Log10,
    /// 10 to the power x: a weight summed in log10 space back to a ratio.
    Pow10,
    /// `sqrt(x)`.
    Sqrt,
    /// `len(list)`.
    Len,
    /// `date(text)`.
    Date,
}

impl Builtin {
    /// Each built-in with its name in rules.
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

/// The hypothesis a weighing conclusion is about.
#[derive(Debug, Clone)]
pub enum Hypothesis {
    /// An actor not listed (the catch-all).
    Other,
    /// The actor an expression names.
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
    /// The ratio as written in the rule.
    pub fn describe(&self) -> String {
        match self {
            Ratio::Fixed(_, text) | Ratio::Computed(_, text) => text.clone(),
        }
    }
}

/// What a rule concludes for each match.
#[derive(Debug, Clone)]
pub enum Conclusion {
    /// `support`, `oppose` or `neutral`: an argument for or against a hypothesis.
    Weigh {
        /// For, against, or neither.
        direction: Direction,
        /// The hypothesis.
        hypothesis: Hypothesis,
        /// The incident it is about.
        incident: Expr,
        /// How strong; `None` for `neutral`.
        ratio: Option<Ratio>,
        /// Where it is written.
        span: Span,
    },
    /// `undercut RULE(...)`: removes the force of another rule's arguments.
    Undercut {
        /// The undercut rule's index.
        target: usize,
        /// The target's variables (by its slot) and the values they must have.
        bindings: Vec<(Slot, Expr)>,
        /// Where it is written.
        span: Span,
    },
    /// Defeats every argument of every other rule with the tag that matches
    /// what is given: resting on the artifact, about the incident, for the actor.
    UndercutTagged {
        /// The tag.
        tag: String,
        /// The artifact the arguments must rest on, if given.
        artifact: Option<Expr>,
        /// The incident they must be about, if given.
        incident: Option<Expr>,
        /// The actor they must name, if given.
        actor: Option<Expr>,
        /// Where it is written.
        span: Span,
    },
    /// Gives every argument of every other rule with the tag that matches what
    /// is given a companion argument, for the same hypothesis and incident, with
    /// this ratio (its reciprocal for an argument that opposes), holding when
    /// both hold and undercut with it.
    StrengthenTagged {
        /// The tag.
        tag: String,
        /// The artifact the arguments must rest on, if given.
        artifact: Option<Expr>,
        /// The incident they must be about, if given.
        incident: Option<Expr>,
        /// The actor they must name, if given.
        actor: Option<Expr>,
        /// The companion's ratio.
        ratio: Ratio,
        /// Where it is written.
        span: Span,
    },
    /// `derive TYPE(...)`: a finding other rules can match.
    Derive {
        /// The finding's type.
        ty: TypeId,
        /// Its field values, in schema order.
        fields: Vec<Expr>,
        /// Where it is written.
        span: Span,
    },
}

/// An explanation with `{var}` holes.
#[derive(Debug, Clone, Default)]
pub struct Template {
    /// Text and holes, in order.
    pub parts: Vec<TemplatePart>,
}

/// A piece of a template.
#[derive(Debug, Clone)]
pub enum TemplatePart {
    /// Text as written.
    Text(String),
    /// A hole for a variable's value.
    Slot(Slot),
}

impl Template {
    /// The explanation with the holes filled from `bindings` (`?` for an unbound one).
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
