//! The syntax tree of rule files: what the analyst wrote, with spans.

use crate::prelude::*;

/// A name with where it was written.
#[derive(Clone, Debug)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct File {
    pub source: SourceId,
    pub findings: Vec<FindingDecl>,
    pub rules: Vec<RuleDecl>,
}

/// `finding same_operator(first: incident, second: incident)`
#[derive(Clone, Debug)]
pub struct FindingDecl {
    pub name: Name,
    pub fields: Vec<(Name, Name)>,
}

#[derive(Clone, Debug)]
pub struct RuleDecl {
    pub id: Name,
    pub title: Option<String>,
    pub rationale: Option<String>,
    pub pitfalls: Option<String>,
    pub references: Vec<String>,
    pub tags: Vec<Name>,
    pub conditions: Vec<Condition>,
    pub conclusions: Vec<ConclusionDecl>,
    pub because: Option<(String, Span)>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Condition {
    Pattern(Pattern),
    Not(Pattern),
    Compare {
        lhs: Expr,
        op: CompareOp,
        rhs: Expr,
        span: Span,
    },
    Let {
        var: Name,
        expr: Expr,
    },
    Count {
        var: Name,
        body: Vec<Condition>,
        span: Span,
    },
    /// `let ?w = sum { body } of term`: a profile match, bounded by the rule.
    Sum {
        var: Name,
        body: Vec<Condition>,
        term: Expr,
        span: Span,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
}

/// `observed(artifact: ?ip, role: "access")`
#[derive(Clone, Debug)]
pub struct Pattern {
    pub ty: Name,
    pub fields: Vec<(Name, Term)>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Term {
    Var(Name),
    Wildcard(Span),
    Expr(Expr),
}

#[derive(Clone, Debug)]
pub enum Expr {
    Lit(Value, Span),
    Var(Name),
    List(Vec<Expr>, Span),
    Call { name: Name, args: Vec<Expr>, span: Span },
    Binary { op: BinOp, lhs: Box<Expr>, rhs: Box<Expr>, span: Span },
    Neg(Box<Expr>, Span),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Lit(_, s) | Expr::List(_, s) | Expr::Neg(_, s) => *s,
            Expr::Var(n) => n.span,
            Expr::Call { span, .. } | Expr::Binary { span, .. } => *span,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Support,
    Oppose,
    Neutral,
}

#[derive(Clone, Debug)]
pub enum HypothesisTerm {
    /// The catch-all hypothesis: an actor not listed.
    Other(Span),
    Actor(Expr),
}

#[derive(Clone, Debug)]
pub enum Strength {
    Verbal(Name),
    Ratio(Expr, String),
}

/// `support ?a for ?i by weak`, `oppose ...`, `neutral ?a for ?i`.
#[derive(Clone, Debug)]
pub struct WeighDecl {
    pub direction: Direction,
    pub hypothesis: HypothesisTerm,
    pub incident: Expr,
    pub strength: Option<Strength>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ConclusionDecl {
    Weigh(Box<WeighDecl>),
    Undercut {
        rule: Name,
        bindings: Vec<(Name, Term)>,
        span: Span,
    },
    /// `undercut tagged TAG(artifact: .., incident: .., actor: ..)`
    UndercutTagged {
        tag: Name,
        bindings: Vec<(Name, Term)>,
        span: Span,
    },
    /// `strengthen tagged TAG(..) by STRENGTH`
    StrengthenTagged {
        tag: Name,
        bindings: Vec<(Name, Term)>,
        strength: Strength,
        span: Span,
    },
    Derive(Pattern),
}
