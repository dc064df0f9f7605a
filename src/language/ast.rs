//! The syntax tree of rule files: what the analyst wrote, with spans.

use crate::prelude::*;

/// A name with where it was written.
#[derive(Clone, Debug)]
pub(crate) struct Name {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub(crate) struct File {
    // Spans and sources the checker does not read yet are kept, so the
    // tree says everywhere where each part was written.
    #[allow(dead_code)]
    pub source: SourceId,
    pub findings: Vec<FindingDecl>,
    pub rules: Vec<RuleDecl>,
}

/// `finding same_operator(first: incident, second: incident)`
#[derive(Clone, Debug)]
pub(crate) struct FindingDecl {
    pub name: Name,
    pub fields: Vec<(Name, Name)>,
}

#[derive(Clone, Debug)]
pub(crate) struct RuleDecl {
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
pub(crate) enum Condition {
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
    /// `let ?p = credence { body }`: how sure the evidence makes the block.
    Credence {
        var: Name,
        body: Vec<Condition>,
        span: Span,
    },
}

/// A comparison in a rule's conditions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`: membership in a list.
    In,
    /// `not in`
    NotIn,
}

/// `observed(artifact: ?ip, role: "access")`
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    pub ty: Name,
    pub fields: Vec<(Name, Term)>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub(crate) enum Term {
    Var(Name),
    Wildcard(Span),
    Expr(Expr),
}

#[derive(Clone, Debug)]
pub(crate) enum Expr {
    Lit(Value, Span),
    Var(Name),
    List(Vec<Expr>, Span),
    Call { name: Name, args: Vec<Expr>, span: Span },
    Binary { op: BinOp, lhs: Box<Expr>, rhs: Box<Expr>, span: Span },
    Neg(Box<Expr>, Span),
}

/// An arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
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

/// Which way a weighing conclusion goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// `support`: for the hypothesis.
    Support,
    /// `oppose`: against it.
    Oppose,
    /// `neutral`: fits every hypothesis equally.
    Neutral,
}

#[derive(Clone, Debug)]
pub(crate) enum HypothesisTerm {
    /// The catch-all hypothesis: an actor not listed.
    Other(#[allow(dead_code)] Span),
    Actor(Expr),
}

#[derive(Clone, Debug)]
pub(crate) enum Strength {
    Verbal(Name),
    Ratio(Expr, String),
}

/// `support ?a for ?i by weak`, `oppose ...`, `neutral ?a for ?i`.
#[derive(Clone, Debug)]
pub(crate) struct WeighDecl {
    pub direction: Direction,
    pub hypothesis: HypothesisTerm,
    pub incident: Expr,
    pub strength: Option<Strength>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub(crate) enum ConclusionDecl {
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
