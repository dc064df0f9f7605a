//! What `check` warns about: rules that can never fire, whatever the
//! evidence (a finding nothing derives), and rules of one's own that this
//! evidence cannot reach (a type it has none of, an id or value it never
//! mentions). Such a rule is not wrong, but it weighs nothing, in silence.

use crate::diagnostics::Stage;
use crate::evidence::EvidenceSet;
use crate::language::program::{Expr, PatternStep, Rule, Step, Term};
use crate::language::Program;
use crate::prelude::*;
use crate::schema::TypeKind;

/// Warnings for `program` against `evidence` (if any). `own` says which rules
/// are the user's (the standard library is written for evidence in general and
/// is only checked for what can never fire).
pub fn warnings(program: &Program, evidence: Option<&EvidenceSet>, own: &dyn Fn(&Rule) -> bool) -> Vec<Diagnostic> {
    let schema = &program.schema;
    let mut out = vec![];
    let derived: BTreeSet<TypeId> = program
        .rules
        .iter()
        .flat_map(|r| r.conclusions.iter())
        .filter_map(|c| match c {
            crate::language::Conclusion::Derive { ty, .. } => Some(*ty),
            _ => None,
        })
        .collect();
    for rule in &program.rules {
        for p in positive_patterns(&rule.body) {
            if schema.get(p.ty).kind == TypeKind::Finding && !derived.contains(&p.ty) {
                out.push(
                    Diagnostic::at(
                        Stage::Check,
                        p.span,
                        format!("rule `{}` can never fire: no rule derives `{}`", rule.id, schema.get(p.ty).name),
                    )
                    .label("nothing derives this finding")
                    .help("add a rule that derives it, or remove this rule")
                    .warning(),
                );
            }
        }
    }
    let Some(evidence) = evidence else { return out };
    let index = ValueIndex::new(program, evidence);
    for rule in program.rules.iter().filter(|r| own(r)) {
        // Slots bound from a field, to check the words they are compared with.
        let mut bound_from: BTreeMap<usize, (TypeId, usize)> = BTreeMap::new();
        for step in &rule.body {
            match step {
                Step::Match(p) => {
                    let spec = schema.get(p.ty);
                    if spec.kind != TypeKind::Finding && !index.types.contains(&p.ty) {
                        out.push(
                            Diagnostic::at(
                                Stage::Check,
                                p.span,
                                format!("rule `{}` cannot fire on this evidence: it has no `{}`", rule.id, spec.name),
                            )
                            .label("no fact of this type")
                            .help(format!("the evidence would need {} `{}` for this rule to weigh anything", article(spec.kind), spec.name))
                            .warning(),
                        );
                        continue;
                    }
                    for (field, term) in &p.fields {
                        match term {
                            Term::Bind(slot) => {
                                bound_from.entry(*slot).or_insert((p.ty, *field));
                            }
                            Term::Equal(e) => out.extend(index.unknown_words(rule, p.ty, *field, e, p.span)),
                        }
                    }
                }
                Step::Filter { lhs, rhs, span, .. } => {
                    for (var, words) in [(lhs, rhs), (rhs, lhs)] {
                        if let Expr::Slot(slot) = var {
                            if let Some(&(ty, field)) = bound_from.get(slot) {
                                out.extend(index.unknown_words(rule, ty, field, words, *span));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn article(kind: TypeKind) -> &'static str {
    match kind {
        TypeKind::Entity => "an entity",
        TypeKind::Assertion => "a report asserting",
        TypeKind::Finding => "a finding",
    }
}

fn positive_patterns(body: &[Step]) -> impl Iterator<Item = &PatternStep> {
    body.iter().filter_map(|s| match s {
        Step::Match(p) => Some(p),
        _ => None,
    })
}

/// Which types the evidence has, and the texts each field of each type takes.
struct ValueIndex<'a> {
    program: &'a Program,
    types: BTreeSet<TypeId>,
    values: BTreeMap<(TypeId, usize), BTreeSet<String>>,
}

impl<'a> ValueIndex<'a> {
    fn new(program: &'a Program, evidence: &EvidenceSet) -> Self {
        let mut index = ValueIndex { program, types: BTreeSet::new(), values: BTreeMap::new() };
        let records = evidence.entities().chain(evidence.reports.iter().flat_map(|r| r.asserts.iter().map(std::borrow::Cow::Borrowed)));
        for record in records {
            index.types.insert(record.ty);
            for (field, value) in record.fields.iter().enumerate() {
                let words: Vec<String> = match value {
                    Some(Value::List(items)) => items.iter().map(|v| v.to_string()).collect(),
                    Some(Value::Str(s)) => vec![s.to_string()],
                    _ => continue,
                };
                index.values.entry((record.ty, field)).or_default().extend(words);
            }
        }
        index
    }

    /// A warning for each text constant in `e` that field `field` of `ty` never takes here.
    fn unknown_words(&self, rule: &Rule, ty: TypeId, field: usize, e: &Expr, span: Span) -> Vec<Diagnostic> {
        let spec = self.program.schema.get(ty);
        if spec.kind == TypeKind::Finding || spec.fields[field].name == crate::schema::REPORT_FIELD {
            return vec![];
        }
        let words: Vec<&str> = match e {
            Expr::Const(Value::Str(w)) => vec![w],
            Expr::List(items) => items
                .iter()
                .filter_map(|i| match i {
                    Expr::Const(Value::Str(w)) => Some(&**w),
                    _ => None,
                })
                .collect(),
            _ => return vec![],
        };
        // An id is checked against every entity of its kind; a text against the field's values.
        let key = match &spec.fields[field].ty {
            FieldType::Ref(kind) => self.program.schema.lookup(kind).map(|t| (t, 0)).unwrap_or((ty, field)),
            _ => (ty, field),
        };
        let empty = BTreeSet::new();
        let seen = self.values.get(&key).unwrap_or(&empty);
        words
            .into_iter()
            .filter(|w| !seen.contains(*w))
            .map(|w| {
                let near = crate::suggest::did_you_mean(w, seen.iter().map(String::as_str));
                Diagnostic::at(
                    Stage::Check,
                    span,
                    format!("rule `{}` looks for {} `{w}`, which nothing in the evidence has", rule.id, format_field(spec, field)),
                )
                .label("matches nothing here")
                .help(near.unwrap_or_else(|| format!("the evidence has no {} `{w}`: check the spelling", format_field(spec, field))))
                .warning()
            })
            .collect()
    }
}

fn format_field(spec: &crate::schema::TypeSpec, field: usize) -> String {
    format!("{}.{}", spec.name, spec.fields[field].name)
}
