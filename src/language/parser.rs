//! Parse tree → AST. The only module that sees pest's types.
//!
//! Naming rule: `parse_X` turns one pest pair of rule `X` into its AST node;
//! each takes the pair by value and never looks at its siblings.

use super::ast::*;
use crate::diagnostics::Stage;
use crate::prelude::*;
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/ascribe.pest"]
struct Grammar;

/// Parses one rule file.
pub fn parse(text: &str, source: SourceId) -> Result<File, Diagnostic> {
    too_deep(text, source)?;
    let mut pairs = Grammar::parse(Rule::file, text).map_err(|e| super::hints::refine(text, source, syntax_error(e, text, source)))?;
    let mut file = File { source, findings: vec![], rules: vec![] };
    let Some(root) = pairs.next() else { return Ok(file) };
    let parser = Parser { source };
    for pair in root.into_inner() {
        match pair.as_rule() {
            Rule::finding_decl => file.findings.push(parser.parse_finding_decl(pair)),
            Rule::rule_decl => file.rules.push(parser.parse_rule_decl(pair)?),
            _ => {}
        }
    }
    Ok(file)
}

struct Parser {
    source: SourceId,
}

impl Parser {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span { source: self.source, start: s.start(), end: s.end() }
    }

    fn name(&self, pair: Pair<Rule>) -> Name {
        Name { span: self.span(&pair), text: pair.as_str().to_string() }
    }

    fn parse_finding_decl(&self, pair: Pair<Rule>) -> FindingDecl {
        let mut inner = pair.into_inner();
        let name = inner.next().map(|p| self.name(p));
        let fields = inner
            .filter(|p| p.as_rule() == Rule::field_decl)
            .filter_map(|p| {
                let mut parts = p.into_inner();
                Some((self.name(parts.next()?), self.name(parts.next()?)))
            })
            .collect();
        FindingDecl { name: name.unwrap_or_else(|| self.missing()), fields }
    }

    fn missing(&self) -> Name {
        Name { text: String::new(), span: Span { source: self.source, start: 0, end: 0 } }
    }

    fn parse_rule_decl(&self, pair: Pair<Rule>) -> Result<RuleDecl, Diagnostic> {
        let span = self.span(&pair);
        let mut rule = RuleDecl {
            id: self.missing(),
            title: None,
            rationale: None,
            pitfalls: None,
            references: vec![],
            tags: vec![],
            conditions: vec![],
            conclusions: vec![],
            because: None,
            span,
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::rule_id => rule.id = self.name(part),
                Rule::title => rule.title = self.parse_meta_string(part)?,
                Rule::rationale => rule.rationale = self.parse_meta_string(part)?,
                Rule::pitfalls => rule.pitfalls = self.parse_meta_string(part)?,
                Rule::reference => rule.references.extend(self.parse_meta_string(part)?),
                Rule::tags => rule.tags.extend(part.into_inner().map(|p| self.name(p))),
                Rule::when_block => {
                    for c in part.into_inner() {
                        rule.conditions.push(self.parse_condition(c)?);
                    }
                }
                Rule::then_block => {
                    for c in part.into_inner() {
                        rule.conclusions.push(self.parse_conclusion(c)?);
                    }
                }
                Rule::because => {
                    let span = self.span(&part);
                    if let Some(s) = part.into_inner().next() {
                        rule.because = Some((self.parse_string(s)?, span));
                    }
                }
                _ => {}
            }
        }
        Ok(rule)
    }

    fn parse_meta_string(&self, pair: Pair<Rule>) -> Result<Option<String>, Diagnostic> {
        pair.into_inner().next().map(|s| self.parse_string(s)).transpose()
    }

    /// Unescapes `\"`, `\\`, `\n` and `\t`; any other escape is an error.
    fn parse_string(&self, pair: Pair<Rule>) -> Result<String, Diagnostic> {
        let span = self.span(&pair);
        let raw = pair.into_inner().next().map(|p| p.as_str()).unwrap_or("");
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                other => {
                    return Err(Diagnostic::at(Stage::Parse, span, format!("unknown escape `\\{}` in string", other.unwrap_or(' ')))
                        .label("in this string")
                        .help("the escapes are \\\" \\\\ \\n and \\t"))
                }
            }
        }
        // Long texts may be wrapped over several lines; fold the indentation.
        Ok(out.split('\n').map(str::trim).collect::<Vec<_>>().join(" ").trim().to_string())
    }

    fn parse_condition(&self, pair: Pair<Rule>) -> Result<Condition, Diagnostic> {
        let span = self.span(&pair);
        Ok(match pair.as_rule() {
            Rule::pattern => Condition::Pattern(self.parse_pattern(pair)?),
            Rule::negation => {
                let inner = pair.into_inner().next().ok_or_else(|| self.internal(span))?;
                Condition::Not(self.parse_pattern(inner)?)
            }
            Rule::let_bind => {
                let mut inner = pair.into_inner();
                let var = self.name(inner.next().ok_or_else(|| self.internal(span))?);
                let expr = self.parse_expr(inner.next().ok_or_else(|| self.internal(span))?)?;
                Condition::Let { var, expr }
            }
            Rule::count_let => {
                let mut inner = pair.into_inner();
                let var = self.name(inner.next().ok_or_else(|| self.internal(span))?);
                let body = inner.map(|c| self.parse_condition(c)).collect::<Result<_, _>>()?;
                Condition::Count { var, body, span }
            }
            Rule::sum_let => {
                let mut inner: Vec<_> = pair.into_inner().filter(|p| !matches!(p.as_rule(), Rule::sum_kw | Rule::of_kw)).collect();
                let term = self.parse_expr(inner.pop().ok_or_else(|| self.internal(span))?)?;
                let mut inner = inner.into_iter();
                let var = self.name(inner.next().ok_or_else(|| self.internal(span))?);
                let body = inner.map(|c| self.parse_condition(c)).collect::<Result<_, _>>()?;
                Condition::Sum { var, body, term, span }
            }
            Rule::credence_let => {
                let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::credence_kw);
                let var = self.name(inner.next().ok_or_else(|| self.internal(span))?);
                let body = inner.map(|c| self.parse_condition(c)).collect::<Result<_, _>>()?;
                Condition::Credence { var, body, span }
            }
            Rule::comparison => {
                let mut inner = pair.into_inner();
                let lhs = self.parse_expr(inner.next().ok_or_else(|| self.internal(span))?)?;
                let op_pair = inner.next().ok_or_else(|| self.internal(span))?;
                let rhs = self.parse_expr(inner.next().ok_or_else(|| self.internal(span))?)?;
                // The pair's own span runs on over the whitespace and comments after it.
                let span = Span { source: self.source, start: lhs.span().start, end: rhs.span().end };
                let op = match op_pair.as_str() {
                    ">=" => CompareOp::Ge,
                    "<=" => CompareOp::Le,
                    "!=" => CompareOp::Ne,
                    "==" => CompareOp::Eq,
                    ">" => CompareOp::Gt,
                    "<" => CompareOp::Lt,
                    "in" => CompareOp::In,
                    _ => CompareOp::NotIn,
                };
                Condition::Compare { lhs, op, rhs, span }
            }
            _ => return Err(self.internal(span)),
        })
    }

    fn parse_pattern(&self, pair: Pair<Rule>) -> Result<Pattern, Diagnostic> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let ty = self.name(inner.next().ok_or_else(|| self.internal(span))?);
        let fields = inner.map(|f| self.parse_field_pat(f)).collect::<Result<_, _>>()?;
        Ok(Pattern { ty, fields, span })
    }

    fn parse_field_pat(&self, pair: Pair<Rule>) -> Result<(Name, Term), Diagnostic> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.name(inner.next().ok_or_else(|| self.internal(span))?);
        let term_pair = inner.next().ok_or_else(|| self.internal(span))?;
        let term = match term_pair.as_rule() {
            Rule::var => Term::Var(self.name(term_pair)),
            Rule::wildcard => Term::Wildcard(self.span(&term_pair)),
            _ => Term::Expr(self.parse_expr(term_pair)?),
        };
        Ok((name, term))
    }

    fn parse_conclusion(&self, pair: Pair<Rule>) -> Result<ConclusionDecl, Diagnostic> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let mut next = || inner.next().ok_or_else(|| self.internal(span));
        Ok(match rule {
            Rule::support | Rule::oppose | Rule::neutral => {
                let direction = match rule {
                    Rule::support => Direction::Support,
                    Rule::oppose => Direction::Oppose,
                    _ => Direction::Neutral,
                };
                let hyp = next()?;
                let hyp_inner = hyp.into_inner().next().ok_or_else(|| self.internal(span))?;
                let hypothesis = match hyp_inner.as_rule() {
                    Rule::catch_all => HypothesisTerm::Other(self.span(&hyp_inner)),
                    _ => HypothesisTerm::Actor(self.parse_expr(hyp_inner)?),
                };
                let incident = self.parse_expr(next()?)?;
                let strength = match direction {
                    Direction::Neutral => None,
                    _ => Some(self.parse_strength(next()?)?),
                };
                ConclusionDecl::Weigh(Box::new(WeighDecl { direction, hypothesis, incident, strength, span }))
            }
            Rule::undercut => {
                let target = next()?;
                let tagged = target.as_rule() == Rule::tagged;
                let name = match tagged {
                    true => {
                        let tag_span = self.span(&target);
                        self.name(target.into_inner().nth(1).ok_or_else(|| self.internal(tag_span))?)
                    }
                    false => self.name(target),
                };
                let bindings = inner.map(|f| self.parse_field_pat(f)).collect::<Result<_, _>>()?;
                match tagged {
                    true => ConclusionDecl::UndercutTagged { tag: name, bindings, span },
                    false => ConclusionDecl::Undercut { rule: name, bindings, span },
                }
            }
            Rule::strengthen => {
                let target = next()?;
                let tag_span = self.span(&target);
                let tag = self.name(target.into_inner().nth(1).ok_or_else(|| self.internal(tag_span))?);
                let mut rest: Vec<Pair<Rule>> = inner.collect();
                let strength = self.parse_strength(rest.pop().ok_or_else(|| self.internal(span))?)?;
                let bindings = rest.into_iter().map(|f| self.parse_field_pat(f)).collect::<Result<_, _>>()?;
                ConclusionDecl::StrengthenTagged { tag, bindings, strength, span }
            }
            Rule::derive => ConclusionDecl::Derive(self.parse_pattern(next()?)?),
            _ => return Err(self.internal(span)),
        })
    }

    fn parse_strength(&self, pair: Pair<Rule>) -> Result<Strength, Diagnostic> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next().ok_or_else(|| self.internal(span))?;
        Ok(match inner.as_rule() {
            Rule::lr => {
                let e = inner.into_inner().next().ok_or_else(|| self.internal(span))?;
                let text = without_comments(e.as_str());
                Strength::Ratio(self.parse_expr(e)?, text)
            }
            _ => Strength::Verbal(self.name(inner)),
        })
    }

    fn parse_expr(&self, pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::expr => self.parse_expr(pair.into_inner().next().ok_or_else(|| self.internal(span))?),
            Rule::sum | Rule::product => {
                let mut inner = pair.into_inner();
                let mut lhs = self.parse_expr(inner.next().ok_or_else(|| self.internal(span))?)?;
                let mut operators = 0usize;
                while let Some(op) = inner.next() {
                    operators += 1;
                    if operators > MAX_NESTING {
                        return Err(Diagnostic::at(Stage::Parse, span, format!("more than {MAX_NESTING} operators in one expression"))
                            .label("too long")
                            .help("split the expression with `let` bindings"));
                    }
                    let rhs = self.parse_expr(inner.next().ok_or_else(|| self.internal(span))?)?;
                    let op = match op.as_str() {
                        "+" => BinOp::Add,
                        "-" => BinOp::Sub,
                        "*" => BinOp::Mul,
                        _ => BinOp::Div,
                    };
                    let joined = Span { source: self.source, start: lhs.span().start, end: rhs.span().end };
                    lhs = Expr::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs), span: joined };
                }
                Ok(lhs)
            }
            Rule::unary => {
                let mut inner = pair.into_inner().peekable();
                let negate = inner.peek().map(|p| p.as_rule() == Rule::neg).unwrap_or(false);
                if negate {
                    inner.next();
                }
                let atom = self.parse_expr(inner.next().ok_or_else(|| self.internal(span))?)?;
                Ok(if negate { Expr::Neg(Box::new(atom), span) } else { atom })
            }
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = self.name(inner.next().ok_or_else(|| self.internal(span))?);
                let args = inner.map(|a| self.parse_expr(a)).collect::<Result<_, _>>()?;
                Ok(Expr::Call { name, args, span })
            }
            Rule::var => Ok(Expr::Var(self.name(pair))),
            Rule::list => {
                let items = pair.into_inner().map(|a| self.parse_expr(a)).collect::<Result<_, _>>()?;
                Ok(Expr::List(items, span))
            }
            Rule::number => match pair.as_str().parse::<f64>() {
                Ok(n) if n.is_finite() => Ok(Expr::Lit(Value::Num(n), span)),
                _ => Err(Diagnostic::at(Stage::Parse, span, "number out of range")
                    .label("not a finite number")
                    .help("write a number between -1e308 and 1e308")),
            },
            Rule::string => Ok(Expr::Lit(Value::Str(Arc::from(self.parse_string(pair)?.as_str())), span)),
            Rule::boolean => Ok(Expr::Lit(Value::Bool(pair.as_str() == "true"), span)),
            _ => Err(self.internal(span)),
        }
    }

    fn internal(&self, span: Span) -> Diagnostic {
        Diagnostic::at(Stage::Parse, span, "unexpected shape of the parse tree")
            .help("this is a bug in ascribe; please report it with the rule file")
    }
}

/// An expression's text as written, without its `//` comments (pest's span
/// also runs on over the whitespace and comments after it): what reports
/// show as the ratio.
fn without_comments(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(|line| {
            let comment = line.match_indices("//").map(|(i, _)| i).find(|&i| line[..i].matches('"').count().is_multiple_of(2));
            comment.map(|i| &line[..i]).unwrap_or(line).trim_end()
        })
        .filter(|line| !line.trim().is_empty())
        .collect();
    lines.join("\n").trim().to_string()
}

/// Turns pest's error into a diagnostic that says what was expected in the
/// analyst's words.
fn syntax_error(error: pest::error::Error<Rule>, text: &str, source: SourceId) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match error.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let span = Span { source, start, end };
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = positives.iter().filter_map(|r| describe(*r)).collect();
            names.sort();
            names.dedup();
            names
        }
        ErrorVariant::CustomError { .. } => vec![],
    };
    let rest = text.get(start..).unwrap_or("");
    if rest.starts_with('"') && expected.contains(&"a string") {
        return Diagnostic::at(Stage::Parse, Span { source, start, end: start + 1 }, "unterminated string")
            .label("this string is never closed")
            .help("close it with `\"`; strings may span lines, so the missing quote can be anywhere after this one");
    }
    // Where a condition or conclusion may start, the block may also end; the
    // names of their parts (a name, an expression) add nothing.
    let block = ["a condition", "a conclusion (support, oppose, neutral, undercut, derive)"];
    let expected: Vec<&str> = if expected.iter().any(|e| block.contains(e)) {
        let parts = ["a name", "an expression", "a variable (`?name`)", "a string", "a number", "a list", "`true` or `false`", "`_`"];
        let mut kept: Vec<&str> = expected.iter().copied().filter(|e| !parts.contains(e)).collect();
        kept.push("`}`");
        kept
    } else {
        expected
    };
    let found = match rest.chars().next() {
        None => "the end of the file".to_string(),
        Some(c) if c.is_whitespace() => "a space".to_string(),
        Some(_) => {
            let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if word.is_empty() {
                format!("`{}`", rest.chars().next().unwrap_or(' '))
            } else {
                format!("`{word}`")
            }
        }
    };
    let message = match expected.as_slice() {
        [] => format!("unexpected {found}"),
        [one] => format!("expected {one}, found {found}"),
        many => format!("expected {}, found {found}", or_list(many)),
    };
    let help = hint(&expected);
    Diagnostic::at(Stage::Parse, span, message).label(format!("unexpected {found}")).maybe_help(help)
}

/// `a, b or c`.
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of file",
        Rule::finding_decl => "`finding`",
        Rule::rule_decl => "`rule`",
        Rule::rule_id => "a rule id",
        Rule::tagged | Rule::tagged_kw => "`tagged` and a tag",
        Rule::title => "`title`",
        Rule::rationale => "`rationale`",
        Rule::pitfalls => "`pitfalls`",
        Rule::reference => "`reference`",
        Rule::tags => "`tags`",
        Rule::when_block => "`when {`",
        Rule::then_block => "`then {`",
        Rule::because => "`because`",
        Rule::pattern | Rule::negation | Rule::count_let | Rule::sum_let | Rule::credence_let | Rule::let_bind | Rule::comparison => {
            "a condition"
        }
        Rule::support | Rule::oppose | Rule::neutral | Rule::undercut | Rule::strengthen | Rule::derive => {
            "a conclusion (support, oppose, neutral, undercut, strengthen, derive)"
        }
        Rule::field_decl | Rule::field_pat => "a field (`name: value`)",
        Rule::strength | Rule::lr | Rule::verbal => "a strength (`lr 3` or a term such as `weak`)",
        Rule::hypothesis | Rule::catch_all => "a hypothesis (`?actor` or `other`)",
        Rule::cmp_op | Rule::not_in => "a comparison operator",
        Rule::expr | Rule::sum | Rule::product | Rule::unary | Rule::call => "an expression",
        Rule::add_op | Rule::mul_op => "an operator",
        Rule::var => "a variable (`?name`)",
        Rule::ident | Rule::ident_raw | Rule::field_name => "a name",
        Rule::string => "a string",
        Rule::number => "a number",
        Rule::list => "a list",
        Rule::wildcard => "`_`",
        Rule::boolean => "`true` or `false`",
        _ => return None,
    })
}

fn hint(expected: &[&str]) -> Option<String> {
    if expected.contains(&"`when {`") {
        Some("a rule reads: rule ID { title \"...\" when { ... } then { ... } because \"...\" }".into())
    } else if expected.contains(&"`then {`") {
        Some("after `when { ... }` the conclusions go in a block: then { support ?actor for ?incident by weak }".into())
    } else if expected.contains(&"a condition") {
        Some("conditions are patterns such as `observed(artifact: ?ip, incident: ?i)`, `not PATTERN`, `let ?x = EXPR` or comparisons such as `?n >= 3`; close the block with `}`".into())
    } else if expected.iter().any(|e| e.starts_with("a conclusion")) {
        Some("conclusions are `support ?a for ?i by weak`, `oppose ...`, `neutral ?a for ?i`, `undercut RULE(var: ?x)` or `derive FINDING(field: ?x)`".into())
    } else if expected.iter().any(|e| e.starts_with("a strength")) {
        Some(
            "write `by lr 3` or a term of the verbal scale: weak, moderate, moderately_strong, strong, very_strong, extremely_strong"
                .into(),
        )
    } else if expected.contains(&"a field (`name: value`)") {
        Some("fields are written `name: ?var`, `name: \"text\"`, `name: 3` or `name: _`".into())
    } else {
        None
    }
}

/// Brackets nested deeper than this are refused before parsing, so that no
/// input can exhaust the stack of the recursive stages that follow.
const MAX_NESTING: usize = 64;

fn too_deep(text: &str, source: SourceId) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut in_comment = false;
    let mut previous = '\0';
    for (offset, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else {
            match c {
                '"' => in_string = true,
                '/' if previous == '/' => in_comment = true,
                '(' | '[' | '{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        let span = Span { source, start: offset, end: offset + 1 };
                        return Err(Diagnostic::at(Stage::Parse, span, format!("brackets nested more than {MAX_NESTING} deep"))
                            .label("too deep")
                            .help("split the expression with `let` bindings"));
                    }
                }
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        previous = c;
    }
    Ok(())
}
