//! `ascribe fmt`: the one layout of rule files (docs/language.md, "Layout").
//!
//! The file is parsed first (a file that does not parse is not formatted), and
//! printed again from its syntax tree. What the tree does not keep is taken
//! from the text by position ([`super::tokens`]): comments, string literals as
//! written (escapes and line breaks kept), numbers as written, and the
//! parentheses inside expressions. The result compiles to the same program.

use super::ast::*;
use super::parser;
use super::tokens::{Comment, Kind, Lexed};
use crate::prelude::*;

/// Lines are kept to this many columns where a pattern can be broken.
pub const WIDTH: usize = 100;
const INDENT: &str = "  ";

/// The canonical text of one rule file, or the syntax error that stops it.
pub fn format(text: &str, source: SourceId) -> Result<String, Diagnostic> {
    let file = parser::parse(text, source)?;
    let lexed = Lexed::new(text);
    let builder = Builder { lx: &lexed };
    let mut items: Vec<Node> = file.findings.iter().map(|f| builder.finding(f)).collect();
    for rule in &file.rules {
        items.push(builder.rule(rule));
    }
    items.sort_by_key(Node::start);
    let mut emitter = Emitter { lx: &lexed, lines: vec![], comment: 0, can_trail: false };
    emitter.body(&items, 0, text.len(), 0, true);
    let mut out = emitter.lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    Ok(out)
}

/// One piece of the layout, with the source range it was printed from.
enum Node {
    /// One line (a long string may run over several), printed as it stands.
    Line { start: usize, end: usize, text: String },
    /// `HEADER {`, the children one level in, `}` and the tail (` of EXPR` after a `sum`).
    Block { start: usize, open: usize, header: String, children: Vec<Node>, close: usize, end: usize, tail: String },
}

impl Node {
    fn start(&self) -> usize {
        match self {
            Node::Line { start, .. } | Node::Block { start, .. } => *start,
        }
    }
    fn end(&self) -> usize {
        match self {
            Node::Line { end, .. } | Node::Block { end, .. } => *end,
        }
    }
}

fn indent(depth: usize) -> String {
    INDENT.repeat(depth)
}

/// Builds the layout from the syntax tree; `depth` is the indentation level
/// a node is printed at (it decides where a long pattern breaks, and how the
/// lines of a long string are indented).
struct Builder<'a> {
    lx: &'a Lexed<'a>,
}

impl Builder<'_> {
    fn token_text(&self, start: usize, end: usize) -> &str {
        self.lx.text.get(start..end).unwrap_or("")
    }

    /// The start of the keyword before `offset` (`not`, `derive`, `let`, `finding`).
    fn keyword_before(&self, offset: usize) -> usize {
        self.lx.last_before(offset).map(|t| t.start).unwrap_or(offset)
    }

    fn line(&self, start: usize, end: usize, text: String) -> Node {
        Node::Line { start, end: self.lx.exact_end(start, end), text }
    }

    fn finding(&self, decl: &FindingDecl) -> Node {
        let start = self.keyword_before(decl.name.span.start);
        let fields: Vec<String> = decl.fields.iter().map(|(n, t)| format!("{}: {}", n.text, t.text)).collect();
        let close = self.lx.tokens[self.lx.first_from(decl.name.span.end)..].iter().find(|t| self.lx.str(**t) == ")");
        let end = close.map(|t| t.end).unwrap_or(decl.name.span.end);
        self.line(start, end, fitted(&format!("finding {}", decl.name.text), fields, "", 0))
    }

    fn rule(&self, rule: &RuleDecl) -> Node {
        let lx = self.lx;
        let start = rule.span.start;
        let end = lx.exact_end(start, rule.span.end);
        let open = lx.first_from(rule.id.span.end);
        let close = lx.matching(open).unwrap_or(lx.tokens.len().saturating_sub(1));
        let mut children = vec![];
        let mut i = open + 1;
        while i < close {
            let token = lx.tokens[i];
            match lx.str(token) {
                "title" | "rationale" | "pitfalls" | "reference" => {
                    if let Some(s) = lx.tokens.get(i + 1).filter(|t| t.kind == Kind::Str) {
                        children.push(self.line(token.start, s.end, format!("{} {}", lx.str(token), self.string(s.start, s.end, 1))));
                        i += 1;
                    }
                }
                "tags" => {
                    // `tags a, b`: a name, then `, name` while there is one.
                    let word = |j: usize| lx.tokens.get(j).filter(|t| t.kind == Kind::Word).copied();
                    let mut names = vec![];
                    let mut last = token.end;
                    if let Some(t) = word(i + 1) {
                        names.push(lx.str(t));
                        last = t.end;
                        i += 1;
                        while let (Some(comma), Some(t)) = (lx.tokens.get(i + 1), word(i + 2)) {
                            if lx.str(*comma) != "," {
                                break;
                            }
                            names.push(lx.str(t));
                            last = t.end;
                            i += 2;
                        }
                    }
                    children.push(self.line(token.start, last, format!("tags {}", names.join(", "))));
                }
                "when" => {
                    let body = rule.conditions.iter().map(|c| self.condition(c, 2)).collect();
                    let (block, next) = self.block(i, "when", body);
                    children.push(block);
                    i = next;
                    continue;
                }
                "then" => {
                    let body = rule.conclusions.iter().map(|c| self.conclusion(c, 2)).collect();
                    let (block, next) = self.block(i, "then", body);
                    children.push(block);
                    i = next;
                    continue;
                }
                "because" => {
                    if let Some((_, span)) = &rule.because {
                        if let Some(s) = lx.tokens.get(i + 1).filter(|t| t.kind == Kind::Str) {
                            children.push(self.line(span.start, s.end, format!("because {}", self.string(s.start, s.end, 1))));
                            i += 1;
                        }
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Node::Block {
            start,
            open: lx.tokens.get(open).map(|t| t.end).unwrap_or(start),
            header: format!("rule {}", rule.id.text),
            children,
            close: lx.tokens.get(close).map(|t| t.start).unwrap_or(end),
            end,
            tail: String::new(),
        }
    }

    /// `KEYWORD { children }` whose keyword is token `at`; returns the block
    /// and the index of the token after its `}`.
    fn block(&self, at: usize, header: &str, children: Vec<Node>) -> (Node, usize) {
        let lx = self.lx;
        let open = at + 1;
        let close = lx.matching(open).unwrap_or(lx.tokens.len().saturating_sub(1));
        let token = |i: usize| lx.tokens.get(i).copied();
        let start = token(at).map(|t| t.start).unwrap_or(0);
        let node = Node::Block {
            start,
            open: token(open).map(|t| t.end).unwrap_or(start),
            header: header.to_string(),
            children,
            close: token(close).map(|t| t.start).unwrap_or(start),
            end: token(close).map(|t| t.end).unwrap_or(start),
            tail: String::new(),
        };
        (node, close + 1)
    }

    fn condition(&self, condition: &Condition, depth: usize) -> Node {
        match condition {
            Condition::Pattern(p) => self.line(p.span.start, p.span.end, self.pattern(p, "", depth)),
            Condition::Not(p) => self.line(self.keyword_before(p.span.start), p.span.end, self.pattern(p, "not ", depth)),
            Condition::Compare { lhs, op, rhs, span } => {
                let text = format!("{} {} {}", self.expr(lhs, depth), compare_op(*op), self.expr(rhs, depth));
                self.line(span.start, span.end, text)
            }
            Condition::Let { var, expr } => {
                let text = format!("let {} = {}", var.text, self.expr(expr, depth));
                self.line(self.keyword_before(var.span.start), expr.span().end, text)
            }
            Condition::Count { var, body, span } => self.aggregate(format!("let {} = count", var.text), body, String::new(), *span, depth),
            Condition::Sum { var, body, term, span } => {
                let tail = format!(" of {}", self.expr(term, depth));
                self.aggregate(format!("let {} = sum", var.text), body, tail, *span, depth)
            }
            Condition::Credence { var, body, span } => {
                self.aggregate(format!("let {} = credence", var.text), body, String::new(), *span, depth)
            }
        }
    }

    /// `let ?v = count { … }` or `let ?v = sum { … } of EXPR`: on one line when
    /// it fits and holds no comment, else as a block.
    fn aggregate(&self, header: String, body: &[Condition], tail: String, span: Span, depth: usize) -> Node {
        {
            {
                let inline: Vec<Node> = body.iter().map(|c| self.condition(c, depth)).collect();
                let texts: Vec<&str> = inline
                    .iter()
                    .filter_map(|n| match n {
                        Node::Line { text, .. } => Some(text.as_str()),
                        Node::Block { .. } => None,
                    })
                    .collect();
                let one_line = format!("{header} {{ {} }}{tail}", texts.join(" "));
                let end = self.lx.exact_end(span.start, span.end);
                let has_comment = self.lx.comments.iter().any(|c| c.start > span.start && c.start < end);
                if texts.len() == inline.len() && !has_comment && !one_line.contains('\n') && fits(&one_line, depth) {
                    return self.line(span.start, end, one_line);
                }
                let at = self.lx.first_from(span.start);
                let brace = self.lx.tokens[at..].iter().position(|t| self.lx.str(*t) == "{").map(|p| at + p).unwrap_or(at);
                let children = body.iter().map(|c| self.condition(c, depth + 1)).collect();
                let (mut block, _) = self.block(brace.saturating_sub(1), &header, children);
                if let Node::Block { start, end: block_end, tail: block_tail, .. } = &mut block {
                    *start = span.start;
                    *block_end = end;
                    *block_tail = tail;
                }
                block
            }
        }
    }

    fn conclusion(&self, conclusion: &ConclusionDecl, depth: usize) -> Node {
        match conclusion {
            ConclusionDecl::Weigh(w) => {
                let verb = match w.direction {
                    Direction::Support => "support",
                    Direction::Oppose => "oppose",
                    Direction::Neutral => "neutral",
                };
                let hypothesis = match &w.hypothesis {
                    HypothesisTerm::Other(_) => "other".to_string(),
                    HypothesisTerm::Actor(e) => self.expr(e, depth),
                };
                let mut text = format!("{verb} {hypothesis} for {}", self.expr(&w.incident, depth));
                if let Some(s) = &w.strength {
                    text.push_str(&format!(" by {}", self.strength(s, depth)));
                }
                self.line(w.span.start, w.span.end, text)
            }
            ConclusionDecl::Undercut { rule, bindings, span } => {
                self.line(span.start, span.end, self.call(&format!("undercut {}", rule.text), bindings, "", depth))
            }
            ConclusionDecl::UndercutTagged { tag, bindings, span } => {
                self.line(span.start, span.end, self.call(&format!("undercut tagged {}", tag.text), bindings, "", depth))
            }
            ConclusionDecl::StrengthenTagged { tag, bindings, strength, span } => {
                let by = format!(" by {}", self.strength(strength, depth));
                self.line(span.start, span.end, self.call(&format!("strengthen tagged {}", tag.text), bindings, &by, depth))
            }
            ConclusionDecl::Derive(p) => self.line(self.keyword_before(p.span.start), p.span.end, self.pattern(p, "derive ", depth)),
        }
    }

    fn strength(&self, strength: &Strength, depth: usize) -> String {
        match strength {
            Strength::Verbal(name) => name.text.clone(),
            Strength::Ratio(e, _) => format!("lr {}", self.expr(e, depth)),
        }
    }

    fn pattern(&self, p: &Pattern, prefix: &str, depth: usize) -> String {
        self.call(&format!("{prefix}{}", p.ty.text), &p.fields, "", depth)
    }

    /// `NAME(field: term, ...)SUFFIX`, broken one field a line when too long.
    fn call(&self, name: &str, fields: &[(Name, Term)], suffix: &str, depth: usize) -> String {
        let items = fields.iter().map(|(n, t)| format!("{}: {}", n.text, self.term(t, depth + 1))).collect();
        fitted(name, items, suffix, depth)
    }

    fn term(&self, term: &Term, depth: usize) -> String {
        match term {
            Term::Var(n) => n.text.clone(),
            Term::Wildcard(_) => "_".to_string(),
            Term::Expr(e) => self.expr(e, depth),
        }
    }

    /// An expression with single spaces around binary operators. Parentheses
    /// the author wrote inside it are kept, and added where the tree needs
    /// them; those around the whole expression are dropped.
    fn expr(&self, e: &Expr, depth: usize) -> String {
        match e {
            Expr::Lit(Value::Str(_), span) => self.string(span.start, span.end, depth),
            Expr::Lit(_, span) => self.token_text(span.start, span.end).to_string(),
            Expr::Var(n) => n.text.clone(),
            Expr::List(items, _) => format!("[{}]", items.iter().map(|i| self.expr(i, depth)).collect::<Vec<_>>().join(", ")),
            Expr::Call { name, args, .. } => {
                format!("{}({})", name.text, args.iter().map(|a| self.expr(a, depth)).collect::<Vec<_>>().join(", "))
            }
            Expr::Binary { op, lhs, rhs, .. } => {
                let (symbol, level) = match op {
                    BinOp::Add => ("+", 1),
                    BinOp::Sub => ("-", 1),
                    BinOp::Mul => ("*", 2),
                    BinOp::Div => ("/", 2),
                };
                let left = self.wrapped(lhs, depth, precedence(lhs) < level || self.parenthesized(lhs));
                let right = self.wrapped(rhs, depth, precedence(rhs) <= level || self.parenthesized(rhs));
                format!("{left} {symbol} {right}")
            }
            Expr::Neg(inner, _) => {
                format!("-{}", self.wrapped(inner, depth, precedence(inner) < 4 || self.parenthesized(inner)))
            }
        }
    }

    /// The first and last token of an expression, without parentheses
    /// around it.
    fn core(&self, e: &Expr) -> Option<(usize, usize)> {
        let lx = self.lx;
        let first = lx.index_at(e.span().start)?;
        Some(match e {
            Expr::Lit(..) | Expr::Var(_) => (first, first),
            Expr::List(..) => (first, lx.matching(first)?),
            Expr::Call { .. } => (first, lx.matching(first + 1)?),
            Expr::Neg(inner, _) => (first, self.outer(inner)?.1),
            Expr::Binary { lhs, rhs, .. } => (self.outer(lhs)?.0, self.outer(rhs)?.1),
        })
    }

    /// The same, with the parentheses the author wrote around it.
    fn outer(&self, e: &Expr) -> Option<(usize, usize)> {
        let lx = self.lx;
        let (mut first, mut last) = self.core(e)?;
        while first > 0
            && lx.tokens.get(first - 1).is_some_and(|t| lx.str(*t) == "(")
            && lx.tokens.get(last + 1).is_some_and(|t| lx.str(*t) == ")")
            && lx.matching(first - 1) == Some(last + 1)
        {
            first -= 1;
            last += 1;
        }
        Some((first, last))
    }

    /// Whether the author wrote parentheses around an operand (asked only of
    /// operands, whose brackets cannot be a call's).
    fn parenthesized(&self, e: &Expr) -> bool {
        self.core(e) != self.outer(e)
    }

    fn wrapped(&self, e: &Expr, depth: usize, parens: bool) -> String {
        let text = self.expr(e, depth);
        if parens {
            format!("({text})")
        } else {
            text
        }
    }

    /// A string literal as written; the lines after the first of a long string
    /// are indented one level deeper than the line it starts on (the parser
    /// folds that indentation away, so the string's value is unchanged).
    fn string(&self, start: usize, end: usize, depth: usize) -> String {
        let raw = self.token_text(start, end);
        if !raw.contains('\n') {
            return raw.to_string();
        }
        let blank = |c: char| c == ' ' || c == '\t' || c == '\r';
        let lines: Vec<&str> = raw.split('\n').collect();
        let last = lines.len() - 1;
        let continuation = indent(depth + 1);
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let line = if i < last { line.trim_end_matches(blank) } else { line };
                let line = if i > 0 { line.trim_start_matches(blank) } else { line };
                if i == 0 || line.is_empty() {
                    line.to_string()
                } else {
                    format!("{continuation}{line}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// How tightly an expression binds: sums 1, products 2, negation 3, atoms 4.
fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Binary { op: BinOp::Add | BinOp::Sub, .. } => 1,
        Expr::Binary { .. } => 2,
        Expr::Neg(..) => 3,
        _ => 4,
    }
}

fn compare_op(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "==",
        CompareOp::Ne => "!=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
        CompareOp::In => "in",
        CompareOp::NotIn => "not in",
    }
}

fn fits(line: &str, depth: usize) -> bool {
    indent(depth).len() + line.chars().count() <= WIDTH
}

/// `NAME(a, b)SUFFIX` on one line when it fits, else one item a line with a
/// trailing comma.
fn fitted(name: &str, items: Vec<String>, suffix: &str, depth: usize) -> String {
    let one_line = format!("{name}({}){suffix}", items.join(", "));
    if items.is_empty() || (!one_line.contains('\n') && fits(&one_line, depth)) {
        return one_line;
    }
    let inner = indent(depth + 1);
    let mut out = format!("{name}(\n");
    for item in items {
        out.push_str(&format!("{inner}{item},\n"));
    }
    out.push_str(&format!("{}){suffix}", indent(depth)));
    out
}

/// Prints the layout, placing each comment where it was written: after the
/// line it ends (a trailing comment), or on its own line before what follows,
/// with at most one blank line kept where the author left any.
struct Emitter<'a> {
    lx: &'a Lexed<'a>,
    lines: Vec<String>,
    /// The next comment not yet printed.
    comment: usize,
    /// Whether the last printed line ends where the source position being
    /// walked from ends, so a comment on that source line can follow it.
    can_trail: bool,
}

impl Emitter<'_> {
    fn next_comment_before(&self, offset: usize) -> Option<Comment> {
        self.lx.comments.get(self.comment).copied().filter(|c| c.start < offset)
    }

    fn comment_text(&self, c: Comment) -> &str {
        self.lx.text.get(c.start..c.end).unwrap_or("//").trim_end()
    }

    fn push(&mut self, depth: usize, text: &str) {
        let pad = indent(depth);
        for (i, line) in text.split('\n').enumerate() {
            // The lines of a long string carry their own indentation.
            self.lines.push(if i == 0 { format!("{pad}{line}") } else { line.to_string() });
        }
    }

    fn blank_between(&self, from: usize, to: usize) -> bool {
        let gap = self.lx.text.get(from..to).unwrap_or("");
        let parts: Vec<&str> = gap.split('\n').collect();
        parts.len() > 2 && parts[1..parts.len() - 1].iter().any(|p| p.trim().is_empty())
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// Comments from the next one up to `offset`: trailing the last line when
    /// on its source line, else on lines of their own. Returns where the walk
    /// now stands in the source.
    fn comments_until(&mut self, offset: usize, mut at: usize, depth: usize, first: &mut bool) -> usize {
        while let Some(c) = self.next_comment_before(offset) {
            let same_line = !self.lx.text.get(at..c.start).unwrap_or("\n").contains('\n');
            let text = self.comment_text(c).to_string();
            if same_line && self.can_trail {
                if let Some(last) = self.lines.last_mut() {
                    last.push(' ');
                    last.push_str(&text);
                }
            } else {
                if !*first && self.blank_between(at, c.start) {
                    self.blank();
                }
                self.push(depth, &text);
                *first = false;
            }
            self.can_trail = false;
            at = c.end;
            self.comment += 1;
        }
        at
    }

    /// A comment on the source line that ends at `at`, after the last line
    /// printed; returns where the walk now stands.
    fn trailing(&mut self, at: usize) -> usize {
        match self.lx.comments.get(self.comment) {
            Some(c) if self.can_trail && !self.lx.text.get(at..c.start).unwrap_or("\n").contains('\n') => {
                let mut first = false;
                self.comments_until(c.end, at, 0, &mut first)
            }
            _ => at,
        }
    }

    /// The children of a block (or of the file, `top`), from source offset
    /// `open` to `close`, at `depth`.
    fn body(&mut self, children: &[Node], open: usize, close: usize, depth: usize, top: bool) {
        let mut at = open;
        let mut first = true;
        let mut after_item = false;
        for child in children {
            if after_item {
                at = self.trailing(at);
                self.blank();
            }
            at = self.comments_until(child.start(), at, depth, &mut first);
            if !first && self.blank_between(at, child.start()) {
                self.blank();
            }
            first = false;
            self.node(child, depth);
            at = child.end();
            self.can_trail = true;
            after_item = top;
        }
        if after_item {
            at = self.trailing(at);
        }
        if after_item && self.next_comment_before(close).is_some_and(|c| self.lx.text.get(at..c.start).unwrap_or("").contains('\n')) {
            self.blank();
        }
        self.comments_until(close, at, depth, &mut first);
    }

    fn node(&mut self, node: &Node, depth: usize) {
        match node {
            Node::Line { end, text, .. } => {
                // Comments inside a line's syntax go on lines of their own before it.
                while let Some(c) = self.next_comment_before(*end) {
                    let text = self.comment_text(c).to_string();
                    self.push(depth, &text);
                    self.comment += 1;
                }
                self.push(depth, text);
            }
            Node::Block { open, header, children, close, tail, .. } => {
                while let Some(c) = self.next_comment_before(*open) {
                    let text = self.comment_text(c).to_string();
                    self.push(depth, &text);
                    self.comment += 1;
                }
                let empty = children.is_empty() && self.next_comment_before(*close).is_none();
                if empty {
                    self.push(depth, &format!("{header} {{}}{tail}"));
                    return;
                }
                self.push(depth, &format!("{header} {{"));
                self.can_trail = true;
                self.body(children, *open, *close, depth + 1, false);
                self.push(depth, &format!("}}{tail}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(text, SourceId(0)).unwrap_or_else(|d| panic!("{}", d.message))
    }

    #[test]
    fn lays_out_a_rule() {
        let text = "rule a.b{title \"T\" tags x,y when{observed(artifact:?ip,incident:?i) ?n>=2*(3+1) let ?c=count{actor(id:?a)}}\nthen{support ?a for ?i by lr 9*(?c-?u)/(?u*max(?c-1,1))-((1)+-(2))}because \"b\"}";
        assert_eq!(
            fmt(text),
            "rule a.b {\n  title \"T\"\n  tags x, y\n  when {\n    observed(artifact: ?ip, incident: ?i)\n    ?n >= 2 * (3 + 1)\n    let ?c = count { actor(id: ?a) }\n  }\n  then {\n    support ?a for ?i by lr 9 * (?c - ?u) / (?u * max(?c - 1, 1)) - ((1) + -(2))\n  }\n  because \"b\"\n}\n"
        );
    }

    #[test]
    fn keeps_comments_where_they_were() {
        let text = "// head\n\nrule a { // opener\n  when { x() // trailing\n  // before y\n  y() }\n  then { support ?a for ?i by weak } // after then\n  // dangling\n}\n// tail\n";
        let out = fmt(text);
        assert_eq!(
            out,
            "// head\n\nrule a { // opener\n  when {\n    x() // trailing\n    // before y\n    y()\n  }\n  then {\n    support ?a for ?i by weak\n  } // after then\n  // dangling\n}\n\n// tail\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn reindents_long_strings_without_changing_them() {
        let text = "rule a {\n        rationale \"one\n  two\n\n      three\"\n when { } then { neutral ?a for ?i } }";
        assert_eq!(fmt(text), "rule a {\n  rationale \"one\n    two\n\n    three\"\n  when {}\n  then {\n    neutral ?a for ?i\n  }\n}\n");
    }

    #[test]
    fn breaks_long_patterns() {
        let long = "x".repeat(60);
        let out = fmt(&format!("rule a {{ when {{ observed(artifact: \"{long}\", incident: ?incident) }} then {{ neutral ?a for ?i }} }}"));
        assert!(out.contains(&format!("    observed(\n      artifact: \"{long}\",\n      incident: ?incident,\n    )\n")), "{out}");
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn refuses_what_does_not_parse() {
        assert!(format("rule a {", SourceId(0)).is_err());
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("// only a comment"), "// only a comment\n");
    }
}
