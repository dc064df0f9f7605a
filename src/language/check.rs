//! AST → checked [`Program`]: resolves types, fields, variables, rule ids and
//! verbal terms, infers variable types, and reports every problem with its span
//! and a likely fix.

use super::ast::{self, CompareOp, ConclusionDecl, Direction, HypothesisTerm, Name, Strength};
use super::program::*;
use crate::diagnostics::Stage;
use crate::prelude::*;
use crate::scales;
use crate::schema::REPORT_FIELD;
use crate::suggest::did_you_mean;

/// Checks all files together: they share finding declarations and rule ids.
pub fn check(files: &[ast::File], sources: &Sources) -> Result<Program, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut schema = Schema::standard();

    for file in files {
        for decl in &file.findings {
            declare_finding(&mut schema, decl, &mut diagnostics);
        }
    }

    let all_rules: Vec<&ast::RuleDecl> = files.iter().flat_map(|f| f.rules.iter()).collect();
    let mut first_seen: HashMap<&str, Span> = HashMap::new();
    for rule in &all_rules {
        if let Some(first) = first_seen.get(rule.id.text.as_str()) {
            let (line, col) = sources.line_col(first.source, first.start);
            diagnostics.push(
                Diagnostic::at(Stage::Check, rule.id.span, format!("duplicate rule id `{}`", rule.id.text))
                    .label("defined again here")
                    .help(format!("it is first defined at {}:{line}:{col}; rename one of them", sources.name(first.source))),
            );
        } else {
            first_seen.insert(&rule.id.text, rule.id.span);
        }
    }

    // Rules are checked in two passes: first each rule's own variables, then the
    // undercuts, which refer to other rules' variables.
    let mut rules = vec![];
    let mut pending_undercuts = vec![];
    let mut tagged: Vec<(ast::Name, Span)> = vec![];
    for decl in &all_rules {
        let mut checker = RuleChecker::new(&schema, &mut diagnostics);
        let rule = checker.check_rule(decl, sources);
        let undercuts = std::mem::take(&mut checker.undercuts);
        tagged.append(&mut checker.tagged);
        pending_undercuts.push(undercuts);
        rules.push(rule);
    }
    // A tag that no rule carries would undercut nothing, in silence.
    let tags: BTreeSet<&str> = rules.iter().flat_map(|r| r.tags.iter().map(String::as_str)).collect();
    for (tag, _) in &tagged {
        if !tags.contains(tag.text.as_str()) {
            diagnostics.push(
                Diagnostic::at(Stage::Check, tag.span, format!("no rule is tagged `{}`", tag.text))
                    .label("this undercut would defeat nothing")
                    .help(
                        did_you_mean(&tag.text, tags.iter().copied())
                            .unwrap_or_else(|| format!("the tags in use are: {}", tags.iter().copied().collect::<Vec<_>>().join(", "))),
                    ),
            );
        }
    }
    let ids: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
    for (index, undercuts) in pending_undercuts.into_iter().enumerate() {
        for pending in undercuts {
            if let Some(conclusion) = resolve_undercut(&rules, &ids, index, pending, &mut diagnostics) {
                rules[index].conclusions.push(conclusion);
            }
        }
    }

    if diagnostics.is_empty() {
        Ok(Program { schema, rules })
    } else {
        Err(diagnostics)
    }
}

fn declare_finding(schema: &mut Schema, decl: &ast::FindingDecl, diagnostics: &mut Diagnostics) {
    let mut fields = vec![];
    let mut ok = true;
    for (name, ty) in &decl.fields {
        if fields.iter().any(|(n, _): &(String, FieldType)| n == &name.text) {
            diagnostics
                .push(Diagnostic::at(Stage::Check, name.span, format!("field `{}` is declared twice", name.text)).label("again here"));
            ok = false;
        }
        match FieldType::parse(&ty.text) {
            Some(t) => fields.push((name.text.clone(), t)),
            None => {
                ok = false;
                diagnostics.push(
                    Diagnostic::at(Stage::Check, ty.span, format!("unknown field type `{}`", ty.text)).label("not a field type").help(
                        did_you_mean(&ty.text, FieldType::NAMES)
                            .unwrap_or_else(|| format!("field types are {}", FieldType::NAMES.join(", "))),
                    ),
                );
            }
        }
    }
    if ok && schema.add_finding(&decl.name.text, fields).is_none() {
        diagnostics.push(
            Diagnostic::at(Stage::Check, decl.name.span, format!("`{}` is already a type", decl.name.text))
                .label("declared again here")
                .help("each finding is declared once, in any loaded file; choose another name or remove this declaration"),
        );
    }
}

struct PendingUndercut {
    target: Name,
    /// `None` for `_`: the name is still checked against the target's variables.
    bindings: Vec<(Name, Option<Expr>, Option<FieldType>)>,
    span: Span,
}

fn resolve_undercut(
    rules: &[Rule],
    ids: &[String],
    index: usize,
    pending: PendingUndercut,
    diagnostics: &mut Diagnostics,
) -> Option<Conclusion> {
    let Some(target) = rules.iter().position(|r| r.id == pending.target.text) else {
        diagnostics.push(
            Diagnostic::at(Stage::Check, pending.target.span, format!("unknown rule `{}`", pending.target.text))
                .label("no rule has this id")
                .maybe_help(did_you_mean(&pending.target.text, ids.iter().map(String::as_str))),
        );
        return None;
    };
    if target == index {
        diagnostics.push(
            Diagnostic::at(Stage::Check, pending.target.span, "a rule cannot undercut itself")
                .label("this is the rule's own id")
                .help("undercut names another rule whose argument this one defeats"),
        );
        return None;
    }
    let target_rule = &rules[target];
    if !target_rule.conclusions.iter().any(|c| matches!(c, Conclusion::Weigh { .. })) {
        diagnostics.push(
            Diagnostic::at(
                Stage::Check,
                pending.target.span,
                format!("rule `{}` weighs no hypothesis, so there is nothing to undercut", target_rule.id),
            )
            .label("undercuts only remove the force of `support` and `oppose` arguments")
            .help("undercut the rule that weighs the evidence; to stop a finding, add a condition to the rule that derives it"),
        );
        return None;
    }
    let mut bindings = vec![];
    for (name, expr, _) in pending.bindings {
        match target_rule.slot(&name.text) {
            Some(slot) => bindings.extend(expr.map(|e| (slot, e))),
            None => diagnostics.push(
                Diagnostic::at(Stage::Check, name.span, format!("rule `{}` has no variable `?{}`", target_rule.id, name.text))
                    .label("not a variable of the undercut rule")
                    .help(did_you_mean(&name.text, target_rule.vars.iter().map(String::as_str)).unwrap_or_else(|| {
                        format!("its variables are {}", target_rule.vars.iter().map(|v| format!("?{v}")).collect::<Vec<_>>().join(", "))
                    })),
            ),
        }
    }
    Some(Conclusion::Undercut { target, bindings, span: pending.span })
}

/// Conditions run as nested joins, one level each: a rule longer than this is refused.
const MAX_CONDITIONS: usize = 128;

/// What the checker knows of one variable.
#[derive(Clone)]
struct VarState {
    name: String,
    ty: Option<FieldType>,
    bound: bool,
    /// The field it was first bound from, when that field has a closed vocabulary.
    closed: Option<crate::schema::FieldSpec>,
}

struct RuleChecker<'a> {
    schema: &'a Schema,
    diagnostics: &'a mut Diagnostics,
    vars: Vec<VarState>,
    undercuts: Vec<PendingUndercut>,
    /// Tags named by `undercut tagged`, checked once every rule is known.
    tagged: Vec<(Name, Span)>,
}

impl<'a> RuleChecker<'a> {
    fn new(schema: &'a Schema, diagnostics: &'a mut Diagnostics) -> Self {
        RuleChecker { schema, diagnostics, vars: vec![], undercuts: vec![], tagged: vec![] }
    }

    fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn check_rule(&mut self, decl: &ast::RuleDecl, sources: &Sources) -> Rule {
        if decl.conditions.len() > MAX_CONDITIONS {
            self.error(
                Diagnostic::at(
                    Stage::Check,
                    decl.id.span,
                    format!("rule `{}` has {} conditions; at most {MAX_CONDITIONS} are allowed", decl.id.text, decl.conditions.len()),
                )
                .label("too many conditions")
                .help("split it into rules that derive findings"),
            );
        }
        let body = self.check_conditions(&decl.conditions);
        if decl.conclusions.iter().any(|c| matches!(c, ConclusionDecl::Derive(_))) {
            self.check_monotonic(&decl.conditions, None);
        }
        let mut conclusions = vec![];
        for c in &decl.conclusions {
            if let Some(c) = self.check_conclusion(c) {
                conclusions.push(c);
            }
        }
        let template = match &decl.because {
            Some((text, span)) => self.check_template(text, *span, sources),
            // Without `because`, explanations show the title.
            None => Template { parts: vec![TemplatePart::Text(decl.title.clone().unwrap_or_else(|| decl.id.text.clone()))] },
        };
        Rule {
            id: decl.id.text.clone(),
            title: decl.title.clone().unwrap_or_else(|| decl.id.text.clone()),
            rationale: decl.rationale.clone().unwrap_or_default(),
            pitfalls: decl.pitfalls.clone().unwrap_or_default(),
            references: decl.references.clone(),
            tags: decl.tags.iter().map(|t| t.text.clone()).collect(),
            file: sources.name(decl.span.source).to_string(),
            span: decl.span,
            vars: self.vars.iter().map(|v| v.name.clone()).collect(),
            body,
            conclusions,
            template,
        }
    }

    /// Findings are derived in rounds until nothing changes, so a deriving rule
    /// may only rely on findings growing: `not` or `count` over a finding would
    /// make the result depend on the order of the rules.
    /// `within`: how the aggregate the conditions are in reads them ("counts").
    fn check_monotonic(&mut self, conditions: &[ast::Condition], within: Option<&'static str>) {
        for condition in conditions {
            let (pattern, how) = match condition {
                ast::Condition::Not(p) => (p, "negates"),
                ast::Condition::Pattern(p) => match within {
                    Some(how) => (p, how),
                    None => continue,
                },
                ast::Condition::Count { body, .. } => {
                    self.check_monotonic(body, Some("counts"));
                    continue;
                }
                ast::Condition::Sum { body, .. } => {
                    self.check_monotonic(body, Some("sums over"));
                    continue;
                }
                ast::Condition::Credence { body, .. } => {
                    self.check_monotonic(body, Some("takes the credence of"));
                    continue;
                }
                _ => continue,
            };
            let is_finding = self.schema.lookup(&pattern.ty.text).map(|t| self.schema.get(t).kind == TypeKind::Finding);
            if is_finding == Some(true) {
                self.error(
                    Diagnostic::at(Stage::Check, pattern.ty.span, format!("a rule that derives findings {how} the finding `{}`", pattern.ty.text))
                        .label("not allowed in a deriving rule")
                        .help("findings are derived in rounds, so the result would depend on rule order; use `not`, `count` and `credence` over findings in rules that weigh (`support`, `oppose`)"),
                );
            }
        }
    }

    fn var_name(name: &Name) -> &str {
        name.text.trim_start_matches('?')
    }

    fn lookup(&self, name: &str) -> Option<Slot> {
        self.vars.iter().position(|v| v.name == name)
    }

    fn bound_names(&self) -> Vec<String> {
        self.vars.iter().filter(|v| v.bound).map(|v| format!("?{}", v.name)).collect()
    }

    /// A slot for a variable that a pattern, `let` or `in` binds here.
    fn bind(&mut self, name: &str, ty: Option<FieldType>) -> Slot {
        match self.lookup(name) {
            Some(slot) => {
                self.vars[slot].bound = true;
                if self.vars[slot].ty.is_none() {
                    self.vars[slot].ty = ty;
                }
                slot
            }
            None => {
                self.vars.push(VarState { name: name.to_string(), ty, bound: true, closed: None });
                self.vars.len() - 1
            }
        }
    }

    /// The slot of the number an aggregate (`count`, `sum`, `credence`)
    /// binds; `None`, with an error, when the name is already bound.
    fn bind_aggregate(&mut self, var: &Name) -> Option<Slot> {
        let name = Self::var_name(var);
        if self.is_bound(name) {
            self.error(Diagnostic::at(Stage::Check, var.span, format!("`?{name}` is already bound")).label("bound earlier in this rule"));
            return None;
        }
        Some(self.bind(name, Some(FieldType::Number)))
    }

    /// Binds a variable of a pattern that failed to check, with no known type.
    fn bind_unknown(&mut self, term: &ast::Term) {
        if let ast::Term::Var(v) = term {
            let n = Self::var_name(v);
            if !self.is_bound(n) {
                self.bind(n, None);
            }
        }
    }

    fn is_bound(&self, name: &str) -> bool {
        self.lookup(name).map(|s| self.vars[s].bound).unwrap_or(false)
    }

    /// Runs `f` in a scope whose new bindings are forgotten afterwards (negation, count).
    fn scoped<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> (T, Vec<Slot>) {
        let before: Vec<bool> = self.vars.iter().map(|v| v.bound).collect();
        let result = f(self);
        let mut new = vec![];
        for (slot, var) in self.vars.iter_mut().enumerate() {
            let was = before.get(slot).copied().unwrap_or(false);
            if var.bound && !was {
                new.push(slot);
            }
            var.bound = was;
        }
        (result, new)
    }

    fn check_conditions(&mut self, conditions: &[ast::Condition]) -> Vec<Step> {
        let mut steps = vec![];
        for condition in conditions {
            if let Some(step) = self.check_condition(condition) {
                steps.push(step);
            }
        }
        steps
    }

    fn check_condition(&mut self, condition: &ast::Condition) -> Option<Step> {
        match condition {
            ast::Condition::Pattern(p) => self.check_pattern(p).map(Step::Match),
            ast::Condition::Not(p) => {
                let (step, _) = self.scoped(|c| c.check_pattern(p));
                step.map(Step::Not)
            }
            ast::Condition::Let { var, expr } => {
                let (expr, ty) = self.check_expr(expr)?;
                let name = Self::var_name(var);
                if self.is_bound(name) {
                    self.error(
                        Diagnostic::at(Stage::Check, var.span, format!("`?{name}` is already bound"))
                            .label("bound earlier in this rule")
                            .help("use a new name, or compare with `==`"),
                    );
                    return None;
                }
                let slot = self.bind(name, ty);
                Some(Step::Let { slot, expr })
            }
            ast::Condition::Count { var, body, .. } => {
                let (steps, counted) = self.scoped(|c| c.check_conditions(body));
                let slot = self.bind_aggregate(var)?;
                Some(Step::Count { slot, body: steps, counted })
            }
            ast::Condition::Sum { var, body, term, .. } => {
                let term_span = term.span();
                let ((steps, term), summed) = self.scoped(|c| {
                    let steps = c.check_conditions(body);
                    (steps, c.check_expr(term))
                });
                let name = Self::var_name(var);
                let Some((term, ty)) = term else {
                    // Bound all the same, so that its uses are not reported again as unbound.
                    self.bind(name, Some(FieldType::Number));
                    return None;
                };
                if let Some(t) = ty.filter(|t| *t != FieldType::Number) {
                    let t = t.to_string();
                    self.error(
                        Diagnostic::at(Stage::Check, term_span, format!("`sum` adds numbers, found {t}"))
                            .label("not a number")
                            .help("sum a number computed from the block's variables, e.g. `sum { ... } of log10(?candidates / ?users)`"),
                    );
                    if !self.is_bound(name) {
                        self.bind(name, Some(FieldType::Number));
                    }
                    return None;
                }
                let slot = self.bind_aggregate(var)?;
                Some(Step::Sum { slot, body: steps, summed, term })
            }
            ast::Condition::Credence { var, body, .. } => {
                let (steps, _) = self.scoped(|c| c.check_conditions(body));
                let slot = self.bind_aggregate(var)?;
                Some(Step::Credence { slot, body: steps })
            }
            ast::Condition::Compare { lhs, op, rhs, span } => self.check_compare(lhs, *op, rhs, *span),
        }
    }

    fn check_compare(&mut self, lhs: &ast::Expr, op: CompareOp, rhs: &ast::Expr, span: Span) -> Option<Step> {
        // `?x in LIST` with `?x` unbound enumerates the list.
        if op == CompareOp::In {
            if let ast::Expr::Var(name) = lhs {
                let n = Self::var_name(name);
                if !self.is_bound(n) {
                    let (list, ty) = self.check_expr(rhs)?;
                    if let Some(t) = &ty {
                        if *t != FieldType::List {
                            self.error(
                                Diagnostic::at(Stage::Check, rhs.span(), format!("`in` needs a list, found {t}")).label("not a list"),
                            );
                            return None;
                        }
                    }
                    let slot = self.bind(n, None);
                    return Some(Step::Member { slot, list });
                }
            }
        }
        // A closed vocabulary's variable compared with words: each word must be one of it.
        if matches!(op, CompareOp::Eq | CompareOp::Ne | CompareOp::In | CompareOp::NotIn) {
            for (var, words) in [(lhs, rhs), (rhs, lhs)] {
                if let ast::Expr::Var(name) = var {
                    let closed = self.lookup(Self::var_name(name)).and_then(|slot| self.vars[slot].closed.clone());
                    if let Some(field) = closed {
                        let owner = format!("`?{}`", Self::var_name(name));
                        self.check_words(&field, &owner, words);
                    }
                }
            }
        }
        let (l, lt) = self.check_expr(lhs)?;
        let (r, rt) = self.check_expr(rhs)?;
        if let (Some(lt), Some(rt)) = (&lt, &rt) {
            let ok = match op {
                CompareOp::In | CompareOp::NotIn => *rt == FieldType::List,
                CompareOp::Eq | CompareOp::Ne => lt.compatible(rt),
                _ => lt.compatible(rt) && matches!(lt, FieldType::Number | FieldType::Date | FieldType::Text | FieldType::Ref(_)),
            };
            if !ok {
                let msg = match op {
                    CompareOp::In | CompareOp::NotIn => format!("`in` needs a list on its right, found {rt}"),
                    _ => format!("cannot compare {} with {}", a(lt), a(rt)),
                };
                self.error(
                    Diagnostic::at(Stage::Check, span, msg)
                        .label("type mismatch")
                        .help("compare values of the same type; dates with dates (see `days`), numbers with numbers"),
                );
                return None;
            }
        }
        Some(Step::Filter { lhs: l, op, rhs: r, span })
    }

    /// The constraints of `undercut tagged` / `strengthen tagged` on the
    /// arguments they reach: the artifact they rest on, their incident, their actor.
    fn check_tagged(&mut self, tag: &Name, bindings: &[(Name, ast::Term)], what: &str, span: Span) -> Option<[Option<Expr>; 3]> {
        const KEYS: [&str; 3] = ["artifact", "incident", "actor"];
        let mut given: [Option<Expr>; 3] = [None, None, None];
        for (name, term) in bindings {
            let Some(k) = KEYS.iter().position(|k| *k == name.text) else {
                self.error(
                    Diagnostic::at(Stage::Check, name.span, format!("`{what}` takes no `{}`", name.text))
                        .label("not a constraint on the arguments it reaches")
                        .help(
                            did_you_mean(&name.text, KEYS)
                                .unwrap_or_else(|| "give what those arguments rest on: artifact, incident or actor".to_string()),
                        ),
                );
                continue;
            };
            let (expr, ty) = match term {
                ast::Term::Var(v) => self.check_expr(&ast::Expr::Var(v.clone()))?,
                ast::Term::Expr(e) => self.check_expr(e)?,
                ast::Term::Wildcard(_) => continue,
            };
            self.expect_ref(&ty, KEYS[k], name.span)?;
            given[k] = Some(expr);
        }
        self.tagged.push((tag.clone(), span));
        Some(given)
    }

    /// Every text literal in `e` (a word or a list of words) written for a field
    /// with a closed vocabulary must be one of its words: a misspelt value would
    /// silently match nothing.
    fn check_words(&mut self, field: &crate::schema::FieldSpec, owner: &str, e: &ast::Expr) {
        match e {
            ast::Expr::Lit(Value::Str(word), span) => {
                if let Some(help) = field.refuses(word) {
                    self.error(
                        Diagnostic::at(Stage::Check, *span, format!("`{word}` is not a known `{}` ({owner})", field.name))
                            .label("no evidence can have this value")
                            .help(help),
                    );
                }
            }
            ast::Expr::List(items, _) => {
                for item in items {
                    self.check_words(field, owner, item);
                }
            }
            _ => {}
        }
    }

    fn check_pattern(&mut self, p: &ast::Pattern) -> Option<PatternStep> {
        let Some(ty) = self.schema.lookup(&p.ty.text) else {
            let help = did_you_mean(&p.ty.text, self.schema.names())
                .unwrap_or_else(|| "see docs/evidence.md for the entity and assertion types".to_string());
            self.error(
                Diagnostic::at(Stage::Check, p.ty.span, format!("unknown type `{}`", p.ty.text))
                    .label("no entity, assertion or finding has this name")
                    .help(help),
            );
            // Bind its variables anyway, so one typo is one error.
            for (_, term) in &p.fields {
                self.bind_unknown(term);
            }
            return None;
        };
        let spec = self.schema.get(ty).clone();
        let mut fields = vec![];
        let mut binds_report = false;
        for (name, term) in &p.fields {
            let Some(index) = spec.field(&name.text) else {
                let help = did_you_mean(&name.text, spec.field_names())
                    .unwrap_or_else(|| format!("`{}` has the fields {}", spec.name, spec.field_names().collect::<Vec<_>>().join(", ")));
                self.error(
                    Diagnostic::at(Stage::Check, name.span, format!("`{}` has no field `{}`", spec.name, name.text))
                        .label("unknown field")
                        .help(help),
                );
                self.bind_unknown(term);
                continue;
            };
            if fields.iter().any(|(i, _)| *i == index) {
                self.error(Diagnostic::at(Stage::Check, name.span, format!("field `{}` is given twice", name.text)).label("again here"));
                continue;
            }
            if name.text == REPORT_FIELD && spec.kind == crate::schema::TypeKind::Assertion {
                binds_report = true;
            }
            let field_ty = spec.fields[index].ty.clone();
            let term = match term {
                ast::Term::Wildcard(_) => continue,
                ast::Term::Var(v) => {
                    let n = Self::var_name(v);
                    match self.lookup(n) {
                        Some(slot) if self.vars[slot].bound => {
                            if let Some(t) = self.vars[slot].ty.clone() {
                                if !t.compatible(&field_ty) {
                                    self.error(
                                        Diagnostic::at(
                                            Stage::Check,
                                            v.span,
                                            format!("`?{n}` is {} but `{}.{}` is {}", a(&t), spec.name, name.text, a(&field_ty)),
                                        )
                                        .label("type mismatch")
                                        .help("use a different variable for this field"),
                                    );
                                }
                            }
                            Term::Equal(Expr::Slot(slot))
                        }
                        _ => {
                            let slot = self.bind(n, Some(field_ty));
                            if spec.fields[index].vocabulary.is_some() && self.vars[slot].closed.is_none() {
                                self.vars[slot].closed = Some(spec.fields[index].clone());
                            }
                            Term::Bind(slot)
                        }
                    }
                }
                ast::Term::Expr(e) => {
                    self.check_words(&spec.fields[index], &spec.name, e);
                    let (expr, t) = self.check_expr(e)?;
                    if let Some(t) = t {
                        if !t.compatible(&field_ty) {
                            self.error(
                                Diagnostic::at(
                                    Stage::Check,
                                    e.span(),
                                    format!("`{}.{}` is {}, not {}", spec.name, name.text, a(&field_ty), a(&t)),
                                )
                                .label("type mismatch")
                                .help(format!("write {} here", a(&field_ty))),
                            );
                        }
                    }
                    Term::Equal(expr)
                }
            };
            fields.push((index, term));
        }
        Some(PatternStep { ty, fields, binds_report, span: p.span })
    }

    fn check_expr(&mut self, e: &ast::Expr) -> Option<(Expr, Option<FieldType>)> {
        Some(match e {
            ast::Expr::Lit(v, _) => (Expr::Const(v.clone()), Some(type_of_value(v))),
            ast::Expr::Var(name) => {
                let n = Self::var_name(name);
                match self.lookup(n) {
                    Some(slot) if self.vars[slot].bound => (Expr::Slot(slot), self.vars[slot].ty.clone()),
                    scoped => {
                        let bound = self.bound_names();
                        // A known but unbound variable was bound inside a `not` or `count`.
                        let help = if scoped.is_some() {
                            format!(
                                "`?{n}` is bound only inside a `not`, `count`, `sum` or `credence` block, which binds nothing outside it"
                            )
                        } else {
                            did_you_mean(&format!("?{n}"), bound.iter().map(String::as_str))
                                .unwrap_or_else(|| "bind it in a pattern, `let` or `in` before it is used".to_string())
                        };
                        self.error(
                            Diagnostic::at(Stage::Check, name.span, format!("unbound variable `?{n}`"))
                                .label("not bound at this point")
                                .help(help),
                        );
                        return None;
                    }
                }
            }
            ast::Expr::List(items, _) => {
                let mut out = vec![];
                for item in items {
                    out.push(self.check_expr(item)?.0);
                }
                (Expr::List(out), Some(FieldType::List))
            }
            ast::Expr::Neg(inner, span) => {
                let (x, t) = self.check_expr(inner)?;
                self.expect_number(&t, *span)?;
                (Expr::Neg(Box::new(x)), Some(FieldType::Number))
            }
            ast::Expr::Binary { op, lhs, rhs, .. } => {
                let (l, lt) = self.check_expr(lhs)?;
                let (r, rt) = self.check_expr(rhs)?;
                self.expect_number(&lt, lhs.span())?;
                self.expect_number(&rt, rhs.span())?;
                (Expr::Binary(*op, Box::new(l), Box::new(r)), Some(FieldType::Number))
            }
            ast::Expr::Call { name, args, span } => {
                let Some((_, builtin)) = Builtin::ALL.iter().find(|(n, _)| *n == name.text) else {
                    self.error(
                        Diagnostic::at(Stage::Check, name.span, format!("unknown function `{}`", name.text)).label("not a builtin").help(
                            did_you_mean(&name.text, Builtin::ALL.iter().map(|(n, _)| *n)).unwrap_or_else(|| {
                                format!("the builtins are {}", Builtin::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "))
                            }),
                        ),
                    );
                    return None;
                };
                let (params, result): (&[FieldType], FieldType) = match builtin {
                    Builtin::Days | Builtin::AnniversaryGap => (&[FieldType::Date, FieldType::Date], FieldType::Number),
                    Builtin::Abs | Builtin::Log10 | Builtin::Pow10 | Builtin::Sqrt => (&[FieldType::Number], FieldType::Number),
                    Builtin::Min | Builtin::Max => (&[FieldType::Number, FieldType::Number], FieldType::Number),
                    Builtin::Len => (&[FieldType::List], FieldType::Number),
                    Builtin::Date => (&[FieldType::Text], FieldType::Date),
                };
                if args.len() != params.len() {
                    self.error(
                        Diagnostic::at(
                            Stage::Check,
                            *span,
                            format!("`{}` takes {} argument(s), found {}", name.text, params.len(), args.len()),
                        )
                        .label("wrong number of arguments"),
                    );
                    return None;
                }
                let mut out = vec![];
                for (arg, param) in args.iter().zip(params) {
                    let (x, t) = self.check_expr(arg)?;
                    if let Some(t) = t {
                        if !t.compatible(param) {
                            self.error(
                                Diagnostic::at(
                                    Stage::Check,
                                    arg.span(),
                                    format!("`{}` expects {} here, found {}", name.text, a(param), a(&t)),
                                )
                                .label("type mismatch"),
                            );
                            return None;
                        }
                    }
                    out.push(x);
                }
                if *builtin == Builtin::Date {
                    if let Some(Expr::Const(Value::Str(s))) = out.first() {
                        match Date::parse(s) {
                            Some(d) => return Some((Expr::Const(Value::Date(d)), Some(FieldType::Date))),
                            None => {
                                self.error(
                                    Diagnostic::at(Stage::Check, *span, format!("`{s}` is not a date"))
                                        .label("expected YYYY-MM-DD")
                                        .help("write a real calendar date such as date(\"2013-06-25\")"),
                                );
                                return None;
                            }
                        }
                    }
                }
                (Expr::Call(*builtin, out), Some(result))
            }
        })
    }

    fn expect_number(&mut self, t: &Option<FieldType>, span: Span) -> Option<()> {
        match t {
            Some(t) if *t != FieldType::Number => {
                self.error(
                    Diagnostic::at(Stage::Check, span, format!("expected a number, found {}", a(t)))
                        .label("not a number")
                        .help("arithmetic works on numbers; use days(a, b) for dates"),
                );
                None
            }
            _ => Some(()),
        }
    }

    fn check_conclusion(&mut self, c: &ConclusionDecl) -> Option<Conclusion> {
        match c {
            ConclusionDecl::Weigh(w) => {
                let ast::WeighDecl { direction, hypothesis, incident, strength, span } = w.as_ref();
                let (direction, span) = (*direction, *span);
                let hypothesis = match hypothesis {
                    HypothesisTerm::Other(_) => Hypothesis::Other,
                    HypothesisTerm::Actor(e) => {
                        let (x, t) = self.check_expr(e)?;
                        self.expect_ref(&t, "actor", e.span())?;
                        Hypothesis::Actor(x)
                    }
                };
                let (incident_expr, t) = self.check_expr(incident)?;
                self.expect_ref(&t, "incident", incident.span())?;
                let ratio = match strength {
                    None => None,
                    Some(s) => Some(self.check_strength(s, direction)?),
                };
                Some(Conclusion::Weigh { direction, hypothesis, incident: incident_expr, ratio, span })
            }
            ConclusionDecl::Undercut { rule, bindings, span } => {
                let mut out = vec![];
                for (name, term) in bindings {
                    let (expr, ty) = match term {
                        ast::Term::Var(v) => self.check_expr(&ast::Expr::Var(v.clone()))?,
                        ast::Term::Expr(e) => self.check_expr(e)?,
                        ast::Term::Wildcard(_) => {
                            out.push((name.clone(), None, None));
                            continue;
                        }
                    };
                    out.push((name.clone(), Some(expr), ty));
                }
                self.undercuts.push(PendingUndercut { target: rule.clone(), bindings: out, span: *span });
                None
            }
            ConclusionDecl::UndercutTagged { tag, bindings, span } => {
                let [artifact, incident, actor] = self.check_tagged(tag, bindings, "undercut tagged", *span)?;
                Some(Conclusion::UndercutTagged { tag: tag.text.clone(), artifact, incident, actor, span: *span })
            }
            ConclusionDecl::StrengthenTagged { tag, bindings, strength, span } => {
                let [artifact, incident, actor] = self.check_tagged(tag, bindings, "strengthen tagged", *span)?;
                let ratio = self.check_strength(strength, Direction::Support)?;
                Some(Conclusion::StrengthenTagged { tag: tag.text.clone(), artifact, incident, actor, ratio, span: *span })
            }
            ConclusionDecl::Derive(p) => {
                let Some(ty) = self.schema.lookup(&p.ty.text) else {
                    let findings =
                        self.schema.types().filter(|(_, t)| t.kind == TypeKind::Finding).map(|(_, t)| t.name.clone()).collect::<Vec<_>>();
                    self.error(
                        Diagnostic::at(Stage::Check, p.ty.span, format!("unknown finding `{}`", p.ty.text)).label("not declared").help(
                            did_you_mean(&p.ty.text, findings.iter().map(String::as_str))
                                .unwrap_or_else(|| format!("declare it in any rule file: finding {}(field: type, ...)", p.ty.text)),
                        ),
                    );
                    return None;
                };
                let spec = self.schema.get(ty).clone();
                if spec.kind != TypeKind::Finding {
                    self.error(
                        Diagnostic::at(Stage::Check, p.ty.span, format!("`{}` is evidence, not a finding", p.ty.text))
                            .label("rules derive findings only")
                            .help("declare a finding type with `finding NAME(field: type, ...)` and derive that"),
                    );
                    return None;
                }
                let mut values: Vec<Option<Expr>> = vec![None; spec.fields.len()];
                for (name, term) in &p.fields {
                    let Some(index) = spec.field(&name.text) else {
                        self.error(
                            Diagnostic::at(Stage::Check, name.span, format!("finding `{}` has no field `{}`", spec.name, name.text))
                                .label("unknown field")
                                .maybe_help(did_you_mean(&name.text, spec.field_names())),
                        );
                        continue;
                    };
                    let (expr, t) = match term {
                        ast::Term::Var(v) => self.check_expr(&ast::Expr::Var(v.clone()))?,
                        ast::Term::Expr(e) => self.check_expr(e)?,
                        ast::Term::Wildcard(s) => {
                            self.error(
                                Diagnostic::at(Stage::Check, *s, "a derived finding needs a value for every field")
                                    .label("`_` is not a value"),
                            );
                            continue;
                        }
                    };
                    if let Some(t) = t {
                        if !t.compatible(&spec.fields[index].ty) {
                            self.error(
                                Diagnostic::at(
                                    Stage::Check,
                                    name.span,
                                    format!("`{}.{}` is {}, not {}", spec.name, name.text, a(&spec.fields[index].ty), a(&t)),
                                )
                                .label("type mismatch"),
                            );
                        }
                    }
                    values[index] = Some(expr);
                }
                let missing: Vec<&str> =
                    spec.fields.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(f, _)| f.name.as_str()).collect();
                if !missing.is_empty() {
                    self.error(
                        Diagnostic::at(Stage::Check, p.span, format!("finding `{}` needs the field(s) {}", spec.name, missing.join(", ")))
                            .label("incomplete")
                            .help("give every declared field a value"),
                    );
                    return None;
                }
                Some(Conclusion::Derive { ty, fields: values.into_iter().flatten().collect(), span: p.span })
            }
        }
    }

    fn expect_ref(&mut self, t: &Option<FieldType>, kind: &str, span: Span) -> Option<()> {
        match t {
            Some(FieldType::Ref(k)) if k == kind => Some(()),
            Some(FieldType::Text) | None => Some(()),
            Some(other) => {
                self.error(Diagnostic::at(Stage::Check, span, format!("expected an {kind} id, found {}", a(other))).label("type mismatch"));
                None
            }
        }
    }

    fn check_strength(&mut self, s: &Strength, direction: Direction) -> Option<Ratio> {
        let oppose = direction == Direction::Oppose;
        match s {
            Strength::Verbal(name) => match scales::verbal_ratio(&name.text) {
                Some(r) => Some(Ratio::Fixed(if oppose { 1.0 / r } else { r }, name.text.clone())),
                None => {
                    let terms: Vec<&str> = scales::VERBAL_SCALE.iter().map(|t| t.name).collect();
                    self.error(
                        Diagnostic::at(Stage::Check, name.span, format!("unknown strength `{}`", name.text))
                            .label("not a term of the verbal scale")
                            .help(
                                did_you_mean(&name.text, terms.iter().copied())
                                    .unwrap_or_else(|| format!("use `lr NUMBER` or one of {}", terms.join(", "))),
                            ),
                    );
                    None
                }
            },
            Strength::Ratio(e, text) => {
                let (x, t) = self.check_expr(e)?;
                self.expect_number(&t, e.span())?;
                // A ratio without variables (`lr 30`, `lr -1`, `lr 1/0`) is checked now, not per match.
                if let Some(n) = constant_number(&x) {
                    if !(n.is_finite() && n > 0.0) {
                        self.error(
                            Diagnostic::at(Stage::Check, e.span(), format!("likelihood ratio {text} is not a positive finite number"))
                                .label("must be positive and finite")
                                .help("a ratio above 1 supports, below 1 opposes; use `neutral` for evidence that fits every hypothesis"),
                        );
                        return None;
                    }
                    return Some(Ratio::Fixed(if oppose { 1.0 / n } else { n }, format!("lr {text}")));
                }
                Some(Ratio::Computed(
                    if oppose { Expr::Binary(ast::BinOp::Div, Box::new(Expr::Const(Value::Num(1.0))), Box::new(x)) } else { x },
                    format!("lr {text}"),
                ))
            }
        }
    }

    fn check_template(&mut self, text: &str, span: Span, sources: &Sources) -> Template {
        let mut parts = vec![];
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            parts.push(TemplatePart::Text(rest[..open].to_string()));
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                self.error(
                    Diagnostic::at(Stage::Check, span, "unclosed `{` in explanation")
                        .label("in this template")
                        .help("write {name} to insert ?name"),
                );
                return Template { parts };
            };
            let name = after[..close].trim().trim_start_matches('?');
            let placeholder = format!("{{{}}}", &after[..close]);
            match self.lookup(name).filter(|s| self.vars[*s].bound) {
                Some(slot) => parts.push(TemplatePart::Slot(slot)),
                None => {
                    let bound = self.vars.iter().filter(|v| v.bound).map(|v| v.name.clone()).collect::<Vec<_>>();
                    self.error(
                        Diagnostic::at(
                            Stage::Check,
                            placeholder_span(sources, span, &placeholder),
                            format!("the explanation names `{{{name}}}`, which the rule does not bind"),
                        )
                        .label("not bound by the rule")
                        .help(did_you_mean(name, bound.iter().map(String::as_str)).unwrap_or_else(|| {
                            format!("the rule binds {}", bound.iter().map(|b| format!("{{{b}}}")).collect::<Vec<_>>().join(", "))
                        })),
                    );
                }
            }
            rest = &after[close + 1..];
        }
        parts.push(TemplatePart::Text(rest.to_string()));
        Template { parts }
    }
}

/// A type with its indefinite article: "a number", "an actor id".
fn a(t: &FieldType) -> String {
    let text = t.to_string();
    let article = if text.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {text}")
}

/// The value of a number expression that mentions no variable or function;
/// division by zero gives infinity, which the caller rejects.
fn constant_number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Const(Value::Num(n)) => Some(*n),
        Expr::Neg(inner) => Some(-constant_number(inner)?),
        Expr::Binary(op, l, r) => {
            let (a, b) = (constant_number(l)?, constant_number(r)?);
            Some(match op {
                ast::BinOp::Add => a + b,
                ast::BinOp::Sub => a - b,
                ast::BinOp::Mul => a * b,
                ast::BinOp::Div if b == 0.0 => f64::INFINITY,
                ast::BinOp::Div => a / b,
            })
        }
        _ => None,
    }
}

/// The span of `{name}` inside a `because` clause, or the whole clause when
/// escapes or line folding make the written text differ.
fn placeholder_span(sources: &Sources, clause: Span, placeholder: &str) -> Span {
    let text = sources.text(clause.source);
    text.get(clause.start..clause.end)
        .and_then(|written| written.find(placeholder))
        .map(|at| Span { source: clause.source, start: clause.start + at, end: clause.start + at + placeholder.len() })
        .unwrap_or(clause)
}

fn type_of_value(v: &Value) -> FieldType {
    match v {
        Value::Str(_) => FieldType::Text,
        Value::Num(_) => FieldType::Number,
        Value::Bool(_) => FieldType::Bool,
        Value::Date(_) => FieldType::Date,
        Value::List(_) => FieldType::List,
    }
}
