//! Document tree → validated [`EvidenceSet`], with a YAML path and a likely
//! fix for every problem.

use super::model::*;
use super::tree::Tree;
use super::yaml;
use crate::diagnostics::{Location, Stage};
use crate::prelude::*;
use crate::scales;
use crate::schema::{TypeSpec, REPORT_FIELD};
use crate::suggest::did_you_mean;
use std::collections::HashSet;

const SECTIONS: [&str; 8] = ["case", "description", "sources", "actors", "incidents", "artifacts", "questions", "reports"];

/// Loads and validates evidence texts (already added to `sources`) as one set.
/// An id, or a reference to one, may be this long (bytes).
pub const MAX_ID: usize = 256;

/// Loads and validates evidence texts (already added to `sources`) as one set.
pub fn load(files: &[SourceId], sources: &Sources, schema: &Schema) -> Result<EvidenceSet, Diagnostics> {
    let mut loader = Loader {
        sources,
        schema,
        set: EvidenceSet::default(),
        diagnostics: Diagnostics::default(),
        file: SourceId(0),
        pending: vec![],
        deferred_links: vec![],
        incidents: vec![],
        interned: HashSet::default(),
    };
    for &file in files {
        loader.file = file;
        loader.set.files.push(file);
        let text = sources.text(file);
        if crate::interop::stix::is_bundle(text) {
            loader.load_bundle(text);
            continue;
        }
        // The fast way reads one item at a time; at the first problem what it
        // loaded is undone and the whole document is read again, the slow way,
        // for an error with its position or YAML path.
        let before = loader.checkpoint();
        if yaml::stream(text, &mut loader).is_err() {
            loader.rollback(&before);
            match yaml::parse(text) {
                Ok(tree) => loader.load_document(tree),
                Err(e) => loader.syntax_error(e),
            }
        }
    }
    loader.resolve();
    if loader.diagnostics.is_empty() {
        Ok(loader.set)
    } else {
        Err(loader.diagnostics)
    }
}

/// A report named in `retracts` or `based_on`: the YAML path and the id.
type Link = (String, String);

/// Report index, source id, retracted and repeated reports, and the file.
type Links = (usize, String, Vec<Link>, Vec<Link>, SourceId);

/// A reference to check once every file is loaded.
struct PendingRef {
    file: SourceId,
    path: String,
    kind: String,
    id: String,
}

struct Loader<'a> {
    sources: &'a Sources,
    schema: &'a Schema,
    set: EvidenceSet,
    diagnostics: Diagnostics,
    file: SourceId,
    pending: Vec<PendingRef>,
    /// Report index, source id, retracted ids, repeated ids (each with its
    /// YAML path and file): linked in `resolve`.
    deferred_links: Vec<Links>,
    /// Incident id, name and date, in the order loaded: indexed in `resolve`.
    incidents: Vec<(String, String, Date)>,
    /// Every text value loaded so far, so that an id written by thousands of
    /// reports is held once.
    interned: HashSet<Arc<str>>,
}

/// How much of each list the loader had filled, to undo a file's partial load.
struct Checkpoint {
    entities: usize,
    sources: usize,
    reports: usize,
    questions: usize,
    incidents: usize,
    diagnostics: usize,
    pending: usize,
    deferred_links: usize,
}

impl yaml::Sink for Loader<'_> {
    fn document(&mut self, tree: Tree) {
        let found = tree.describe();
        self.error(
            "",
            format!("expected a mapping of sections, found {found}"),
            Some(format!("an evidence file has the sections {}", SECTIONS[2..].join(", "))),
        );
    }

    fn section(&mut self, key: &str) {
        if !SECTIONS.contains(&key) {
            let help = did_you_mean(key, SECTIONS).unwrap_or_else(|| format!("the sections are {}", SECTIONS.join(", ")));
            self.error(key, format!("unknown section `{key}`"), Some(help));
        }
    }

    fn item(&mut self, key: &str, index: usize, tree: Tree) {
        let path = || format!("{key}[{index}]");
        match key {
            "sources" => self.load_source(path(), tree),
            "actors" => self.load_entity("actor", path(), tree),
            "incidents" => self.load_incident(path(), tree),
            "artifacts" => self.load_entity("artifact", path(), tree),
            "questions" => self.load_question(path(), tree),
            "reports" => self.load_report(path(), tree),
            _ => {}
        }
    }

    fn value(&mut self, key: &str, tree: Tree) {
        let is_list = SECTIONS[2..].contains(&key);
        if is_list && tree != Tree::Null {
            self.error(
                key,
                format!("expected a list, found {}", tree.describe()),
                Some(format!("write `{key}:` followed by items starting with `- `")),
            );
        }
    }
}

impl Loader<'_> {
    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            entities: self.set.entities.len(),
            sources: self.set.sources.len(),
            reports: self.set.reports.len(),
            questions: self.set.questions.len(),
            incidents: self.incidents.len(),
            diagnostics: self.diagnostics.0.len(),
            pending: self.pending.len(),
            deferred_links: self.deferred_links.len(),
        }
    }

    fn rollback(&mut self, to: &Checkpoint) {
        self.set.entities.truncate(to.entities);
        self.set.sources.truncate(to.sources);
        self.set.reports.truncate(to.reports);
        self.set.questions.truncate(to.questions);
        self.incidents.truncate(to.incidents);
        self.diagnostics.0.truncate(to.diagnostics);
        self.pending.truncate(to.pending);
        self.deferred_links.truncate(to.deferred_links);
    }

    /// A text value, shared with every equal one loaded before.
    fn text_value(&mut self, text: &str) -> Value {
        if let Some(shared) = self.interned.get(text) {
            return Value::Str(shared.clone());
        }
        let shared: Arc<str> = Arc::from(text);
        self.interned.insert(shared.clone());
        Value::Str(shared)
    }
}

impl Loader<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>, help: Option<String>) {
        // Positions are looked up for the first errors only: each lookup reads the file.
        let span = if self.diagnostics.0.len() < 100 {
            super::locate::locate(self.sources.text(self.file), path).map(|(start, end)| Span { source: self.file, start, end })
        } else {
            None
        };
        let d = Diagnostic::new(Stage::Evidence, message, Location::Path { source: self.file, path: path.to_string(), span });
        self.diagnostics.push(d.maybe_help(help));
    }

    fn syntax_error(&mut self, e: yaml::YamlError) {
        let location = match (e.line, e.column) {
            (Some(line), Some(col)) => {
                let start = self.sources.offset_of(self.file, line, col);
                Location::Span(Span { source: self.file, start, end: start + 1 })
            }
            _ => Location::File(self.sources.name(self.file).to_string()),
        };
        let d = Diagnostic::new(Stage::Evidence, format!("not valid YAML or JSON: {}", e.message), location).label("here").help(
            "check indentation (spaces, not tabs), colons and closing brackets; quote texts that contain `: ` or start with a symbol",
        );
        self.diagnostics.push(d);
    }

    /// A STIX bundle, read as the evidence `ascribe import stix` writes for it
    /// (docs/stix.md); what it cannot map is kept as warnings.
    fn load_bundle(&mut self, text: &str) {
        let options = crate::interop::stix::import::Options { questions: true, ..Default::default() };
        match crate::interop::stix::import::import(text, self.file, &options) {
            Ok(imported) => {
                self.set.warnings.extend(imported.warnings.0);
                match serde_json::to_value(&imported.document) {
                    Ok(value) => self.load_document(Tree::from_json(value)),
                    Err(e) => self.error("", format!("the imported bundle could not be read: {e}"), None),
                }
            }
            Err(d) => self.diagnostics.extend(d),
        }
    }

    /// A whole document, read the slow way: handed over as [`yaml::stream`] would.
    fn load_document(&mut self, tree: Tree) {
        use yaml::Sink;
        let Tree::Map(sections) = tree else {
            self.document(tree);
            return;
        };
        for (key, value) in sections {
            self.section(&key);
            match value {
                Tree::Seq(items) => {
                    for (i, item) in items.into_iter().enumerate() {
                        self.item(&key, i, item);
                    }
                }
                other => yaml::Sink::value(self, &key, other),
            }
        }
    }

    /// Converts a mapping into a record of `type_name`, checking fields against
    /// the schema. Keys in `extra` are returned to the caller instead.
    fn record(&mut self, type_name: &str, path: &str, tree: Tree, extra: &[&str]) -> Option<(Record, Vec<(String, Tree)>)> {
        let ty = self.schema.lookup(type_name)?;
        let schema = self.schema;
        let spec: &TypeSpec = schema.get(ty);
        let Tree::Map(entries) = tree else {
            self.error(
                path,
                format!("expected a mapping for {}, found {}", a(type_name), tree.describe()),
                Some(format!("{} has the fields {}", a(type_name), spec.field_names().collect::<Vec<_>>().join(", "))),
            );
            return None;
        };
        let mut fields: Vec<Option<Value>> = vec![None; spec.fields.len()];
        // Fields written, even if misspelt or invalid: no "needs" error for them.
        let mut written = vec![false; spec.fields.len()];
        let mut rest = vec![];
        for (key, value) in entries {
            let field_path = format!("{path}.{key}");
            if extra.contains(&key.as_str()) {
                rest.push((key, value));
                continue;
            }
            let index = spec.field(&key).filter(|_| !(key == REPORT_FIELD && spec.kind == TypeKind::Assertion));
            let Some(index) = index else {
                let names: Vec<&str> = spec
                    .field_names()
                    .filter(|n| *n != REPORT_FIELD || spec.kind != TypeKind::Assertion)
                    .chain(extra.iter().copied())
                    .collect();
                let near = crate::suggest::closest(&key, names.iter().copied());
                if let Some(i) = near.and_then(|n| spec.field(n)) {
                    written[i] = true;
                }
                let help = did_you_mean(&key, names.iter().copied())
                    .unwrap_or_else(|| format!("{} has the fields {}", a(type_name), names.join(", ")));
                self.error(&field_path, format!("unknown field `{key}` for {}", a(type_name)), Some(help));
                continue;
            };
            written[index] = true;
            let field_ty = &spec.fields[index].ty;
            if let Some(v) = self.value(&field_path, field_ty, value) {
                if let Value::Str(word) = &v {
                    if let Some(help) = spec.fields[index].refuses(word) {
                        self.error(&field_path, format!("`{word}` is not a known `{key}` of {}", a(type_name)), Some(help));
                        continue;
                    }
                }
                if let FieldType::Ref(kind) = field_ty {
                    if let Value::Str(id) = &v {
                        self.pending.push(PendingRef { file: self.file, path: field_path.clone(), kind: kind.clone(), id: id.to_string() });
                    }
                }
                fields[index] = Some(v);
            }
        }
        for (index, f) in spec.fields.iter().enumerate() {
            if f.required && !written[index] && f.name != REPORT_FIELD {
                self.error(
                    path,
                    format!("{} needs `{}` ({})", a(type_name), f.name, f.doc),
                    Some(format!("add `{}: ...` to this entry", f.name)),
                );
            }
            if let (Some(default), false) = (f.default, written[index]) {
                fields[index] = Some(self.text_value(default));
            }
            if f.ty == FieldType::List && fields[index].is_none() {
                fields[index] = Some(Value::List(Arc::from(Vec::new())));
            }
        }
        self.check_ranges(type_name, spec, path, &fields);
        Some((Record { ty, fields, path: path.to_string(), file: self.file }, rest))
    }

    fn value(&mut self, path: &str, ty: &FieldType, tree: Tree) -> Option<Value> {
        let found = tree.describe();
        if let Tree::Str(s) = &tree {
            if (matches!(ty, FieldType::Ref(_)) || path.ends_with(".id")) && s.len() > MAX_ID {
                self.error(path, format!("an id of {} bytes, longer than the limit of {MAX_ID}", s.len()), Some("use a short id".into()));
                return None;
            }
        }
        match (ty, tree) {
            (FieldType::Text | FieldType::Ref(_), Tree::Str(s)) => Some(self.text_value(&s)),
            (FieldType::Number, Tree::Num(n)) => Some(Value::Num(n)),
            (FieldType::Bool, Tree::Bool(b)) => Some(Value::Bool(b)),
            (FieldType::Date, Tree::Str(s)) => match Date::parse(&s) {
                Some(d) => Some(Value::Date(d)),
                None => {
                    self.error(path, format!("`{s}` is not a date"), Some("write dates as YYYY-MM-DD, for example 2013-03-20".into()));
                    None
                }
            },
            (FieldType::List, Tree::Seq(items)) => {
                let mut out = vec![];
                for (i, item) in items.into_iter().enumerate() {
                    match item {
                        Tree::Str(s) => out.push(self.text_value(&s)),
                        other => self.error(
                            &format!("{path}[{i}]"),
                            format!("expected a name, found {}", other.describe()),
                            Some("list entries are names or ids".into()),
                        ),
                    }
                }
                Some(Value::List(Arc::from(out)))
            }
            (FieldType::List, Tree::Str(s)) => {
                self.error(path, format!("expected a list, found the string `{s}`"), Some(format!("write [{s}]")));
                None
            }
            (FieldType::Text | FieldType::Ref(_), Tree::Num(n)) => {
                self.error(path, format!("expected {}, found the number {n}", describe_type(ty)), Some(format!("quote it: \"{n}\"")));
                None
            }
            (FieldType::Number, Tree::Str(s)) if out_of_range(&s) => {
                self.error(
                    path,
                    format!("the number {s} is out of range: it is not finite (the largest is about 1.8e308)"),
                    Some("write a finite number, for example 3".into()),
                );
                None
            }
            (_, _) => {
                self.error(path, format!("expected {}, found {found}", describe_type(ty)), Some(example(ty).into()));
                None
            }
        }
    }

    fn load_entity(&mut self, type_name: &str, path: String, tree: Tree) {
        if let Some((record, _)) = self.record(type_name, &path, tree, &[]) {
            self.set.entities.push(record);
        }
    }

    fn load_source(&mut self, path: String, tree: Tree) {
        let Some((record, _)) = self.record("source", &path, tree, &[]) else { return };
        let reliability = record.text(3).unwrap_or("").to_string();
        if !reliability.is_empty() && scales::reliability_weight(&reliability).is_none() {
            self.error(
                &format!("{path}.reliability"),
                format!("`{reliability}` is not an Admiralty reliability grade"),
                Some("use A (completely reliable) to E (unreliable), or F (cannot be judged)".into()),
            );
        }
        self.set.sources.push(SourceRecord {
            id: record.text(0).unwrap_or("").to_string(),
            name: record.text(1).or(record.text(0)).unwrap_or("").to_string(),
            kind: record.text(2).unwrap_or("").to_string(),
            reliability,
        });
        self.set.entities.push(record);
    }

    fn load_incident(&mut self, path: String, tree: Tree) {
        let Some((record, _)) = self.record("incident", &path, tree, &[]) else { return };
        let id = record.text(0).unwrap_or("").to_string();
        let name = record.text(1).unwrap_or(&id).to_string();
        if let Some(Some(Value::Date(d))) = record.fields.get(2) {
            self.incidents.push((id, name, *d));
        }
        self.set.entities.push(record);
    }

    fn load_question(&mut self, path: String, tree: Tree) {
        let Some((record, rest)) = self.record("question", &path, tree, &["text", "hypotheses", "other_prior"]) else { return };
        let mut question = QuestionRecord {
            id: record.text(0).unwrap_or("").to_string(),
            incident: record.text(1).unwrap_or("").to_string(),
            text: String::new(),
            hypotheses: vec![],
            other_prior: None,
            path: path.clone(),
        };
        for (key, value) in rest {
            let p = format!("{path}.{key}");
            match (key.as_str(), value) {
                ("text", Tree::Str(s)) => question.text = s,
                ("other_prior", Tree::Num(n)) => question.other_prior = Some(n),
                ("other_prior", other) => self.error(
                    &p,
                    format!("expected a number between 0 and 1, found {}", other.describe()),
                    Some("write `other_prior: 0.2`: the prior of an actor not listed".into()),
                ),
                ("hypotheses", Tree::Seq(items)) => {
                    for (i, item) in items.into_iter().enumerate() {
                        if let Some(h) = self.hypothesis(&format!("{p}[{i}]"), item) {
                            question.hypotheses.push(h);
                        }
                    }
                }
                ("text", other) => self.error(&p, format!("expected a string, found {}", other.describe()), None),
                (_, other) => self.error(
                    &p,
                    format!("expected a list of actor ids, found {}", other.describe()),
                    Some("write `hypotheses: [actor-a, actor-b]`".into()),
                ),
            }
        }
        if question.hypotheses.is_empty() {
            self.error(
                &path,
                "a question needs at least one named hypothesis",
                Some("add `hypotheses: [ACTOR, ...]`; the catch-all `other` is added for you".into()),
            );
        }
        self.check_priors(&question);
        let question_ty = self.schema.lookup("hypothesis");
        for h in &question.hypotheses {
            if let Some(ty) = question_ty {
                let fields = vec![Some(self.text_value(&question.id)), Some(self.text_value(&h.actor))];
                self.set.entities.push(Record { ty, fields, path: path.clone(), file: self.file });
            }
        }
        self.set.entities.push(record);
        self.set.questions.push(question);
    }

    fn hypothesis(&mut self, path: &str, tree: Tree) -> Option<HypothesisRecord> {
        let (actor, prior) = match tree {
            Tree::Str(s) => (s, None),
            Tree::Map(entries) => {
                let mut actor = None;
                let mut prior = None;
                for (k, v) in entries {
                    match (k.as_str(), v) {
                        ("actor", Tree::Str(s)) => actor = Some(s),
                        ("prior", Tree::Num(n)) => prior = Some(n),
                        (k, v) => {
                            self.error(
                                &format!("{path}.{k}"),
                                format!("unexpected `{k}` ({})", v.describe()),
                                Some("a hypothesis is an actor id, or `{actor: ID, prior: 0.3}`".into()),
                            );
                        }
                    }
                }
                let Some(actor) = actor else {
                    self.error(path, "a hypothesis needs `actor`", Some("write `{actor: ID, prior: 0.3}`".into()));
                    return None;
                };
                (actor, prior)
            }
            other => {
                self.error(path, format!("expected an actor id, found {}", other.describe()), None);
                return None;
            }
        };
        if actor == "other" {
            self.error(
                path,
                "`other` is the implicit catch-all hypothesis",
                Some("remove it; every question gets it automatically".into()),
            );
            return None;
        }
        self.pending.push(PendingRef { file: self.file, path: path.to_string(), kind: "actor".into(), id: actor.clone() });
        Some(HypothesisRecord { actor, prior })
    }

    fn check_priors(&mut self, q: &QuestionRecord) {
        self.check_duplicate_hypotheses(q);
        if !self.priors_in_range(q) {
            return;
        }
        let at = format!("{}.hypotheses", q.path);
        let given: Vec<f64> = q.hypotheses.iter().filter_map(|h| h.prior).collect();
        if let Some(other) = q.other_prior {
            let at = format!("{}.other_prior", q.path);
            if !(other > 0.0 && other < 1.0) {
                self.error(
                    &at,
                    format!("`other_prior` must be between 0 and 1 (exclusive), found {other}"),
                    Some("the catch-all `other` needs some chance, and cannot be certain; e.g. `other_prior: 0.2`".into()),
                );
                return;
            }
            let sum = other + given.iter().sum::<f64>();
            let unpriced = q.hypotheses.len() - given.len();
            if unpriced == 0 && (sum - 1.0).abs() > 1e-9 {
                self.error(
                    &at,
                    format!("the priors of the named hypotheses and `other_prior` add up to {}, not 1", crate::value::format_number(sum)),
                    Some(
                        "with a prior for every named hypothesis, `other` gets the rest: leave out `other_prior`, or make them add up to 1"
                            .into(),
                    ),
                );
            } else if unpriced > 0 && sum >= 1.0 {
                self.error(
                    &at,
                    format!(
                        "the priors add up to {} with `other_prior`, leaving nothing for the {unpriced} named hypothes{} without one",
                        crate::value::format_number(sum),
                        if unpriced == 1 { "is" } else { "es" }
                    ),
                    Some("lower `other_prior` or the priors given, so that they add up to less than 1; the rest is shared evenly".into()),
                );
            }
            return;
        }
        if given.is_empty() {
            return;
        }
        if given.len() != q.hypotheses.len() {
            self.error(
                &at,
                "priors are given for some hypotheses but not all",
                Some("give every named hypothesis a prior, or none (then all, with `other`, are equal); or give `other_prior` and the named hypotheses without a prior share the rest evenly".into()),
            );
            return;
        }
        let sum: f64 = given.iter().sum();
        if sum >= 1.0 {
            self.error(
                &at,
                format!("the priors add up to {sum}, leaving nothing for the catch-all `other`"),
                Some("make them add up to less than 1; `other` gets the rest".into()),
            );
        }
    }

    /// Each prior given is a probability strictly between 0 and 1; a value out
    /// of range gets its own error, quoting it, with the likely fix.
    fn priors_in_range(&mut self, q: &QuestionRecord) -> bool {
        let mut out_of_range = false;
        for (i, h) in q.hypotheses.iter().enumerate() {
            let Some(p) = h.prior.filter(|p| !(*p > 0.0 && *p < 1.0)) else { continue };
            out_of_range = true;
            let help = if p > 1.0 && p < 100.0 {
                format!("a prior is a probability: {p} percent is written {}", p / 100.0)
            } else if p >= 1.0 {
                "a prior is a probability between 0 and 1, and `other` needs some of it: write, say, 0.5".to_string()
            } else {
                "a candidate with no chance at all is better left out; otherwise give it a small prior such as 0.01".to_string()
            };
            self.error(
                &format!("{}.hypotheses[{i}].prior", q.path),
                format!("the prior of `{}` is {p}, not a probability between 0 and 1 (exclusive)", h.actor),
                Some(help),
            );
        }
        !out_of_range
    }

    /// A candidate named twice in one question would be two hypotheses that
    /// are not mutually exclusive (with or without priors).
    fn check_duplicate_hypotheses(&mut self, q: &QuestionRecord) {
        let mut seen = BTreeSet::new();
        for (i, h) in q.hypotheses.iter().enumerate() {
            if !seen.insert(h.actor.clone()) {
                self.error(
                    &format!("{}.hypotheses[{i}]", q.path),
                    format!("`{}` is listed twice", h.actor),
                    Some("name each candidate once: the hypotheses of a question exclude one another".into()),
                );
            }
        }
    }

    /// Numbers outside their field's range (`schema::Range`) are refused here,
    /// so that no standard rule computes an invalid likelihood ratio later.
    fn check_ranges(&mut self, type_name: &str, spec: &TypeSpec, path: &str, fields: &[Option<Value>]) {
        for (f, v) in spec.fields.iter().zip(fields) {
            let (Some(range), Some(Value::Num(n))) = (f.range, v) else { continue };
            let field_path = format!("{path}.{}", f.name);
            let shown = number(*n);
            if range.min.is_some_and(|lo| *n < lo) || range.max.is_some_and(|hi| *n > hi) {
                self.error(
                    &field_path,
                    format!("`{}` of {} must be {}, found {shown}", f.name, a(type_name), range.describe()),
                    Some(format!("`{}` is {}: write a number {}", f.name, f.doc, range.describe())),
                );
                continue;
            }
            let Some(other) = range.at_most else { continue };
            if let Some(Some(Value::Num(m))) = spec.field(other).map(|i| &fields[i]) {
                if n > m {
                    self.error(
                        &field_path,
                        format!("`{}` of {} is {shown}, more than its `{other}` ({})", f.name, a(type_name), number(*m)),
                        Some(format!("`{}` counts part of `{other}`: it can be at most {}", f.name, number(*m))),
                    );
                }
            }
        }
    }

    fn load_report(&mut self, path: String, tree: Tree) {
        let Some((record, rest)) = self.record("report", &path, tree, &["asserts", "retracts", "based_on"]) else { return };
        let id = record.text(0).unwrap_or("").to_string();
        let source_id = record.text(1).unwrap_or("").to_string();
        let date = match record.fields.get(2) {
            Some(Some(Value::Date(d))) => *d,
            _ => Date(0),
        };
        let credibility = match record.fields.get(3) {
            Some(Some(Value::Num(n))) => {
                if n.fract() != 0.0 || !(1.0..=6.0).contains(n) {
                    self.error(
                        &format!("{path}.credibility"),
                        format!("{n} is not an Admiralty credibility grade"),
                        Some("use 1 (confirmed) to 5 (improbable), or 6 (cannot be judged)".into()),
                    );
                    6
                } else {
                    *n as u8
                }
            }
            _ => 6,
        };
        let title = record.text(4).unwrap_or("").to_string();
        let mut report = ReportRecord {
            id,
            source: usize::MAX,
            date,
            credibility,
            title,
            retracts: vec![],
            based_on: vec![],
            asserts: vec![],
            path: path.clone(),
        };
        let mut retracts = vec![];
        let mut based_on = vec![];
        for (key, value) in rest {
            let p = format!("{path}.{key}");
            match key.as_str() {
                "asserts" => match value {
                    Tree::Seq(items) => {
                        for (i, item) in items.into_iter().enumerate() {
                            if let Some(a) = self.assertion(&format!("{p}[{i}]"), item) {
                                report.asserts.push(a);
                            }
                        }
                    }
                    other => self.error(
                        &p,
                        format!("expected a list of assertions, found {}", other.describe()),
                        Some("write `asserts:` then items such as `- geolocation: {artifact: ip-1, country: CN}`".into()),
                    ),
                },
                _ => {
                    let ids = match value {
                        Tree::Str(s) => vec![(p.clone(), s)],
                        Tree::Seq(items) => items
                            .into_iter()
                            .enumerate()
                            .filter_map(|(i, t)| match t {
                                Tree::Str(s) => Some((format!("{p}[{i}]"), s)),
                                _ => None,
                            })
                            .collect(),
                        other => {
                            self.error(&p, format!("expected report ids, found {}", other.describe()), None);
                            vec![]
                        }
                    };
                    for (ip, id) in ids {
                        self.pending.push(PendingRef { file: self.file, path: ip.clone(), kind: "report".into(), id: id.clone() });
                        if key == "retracts" {
                            retracts.push((ip, id))
                        } else {
                            based_on.push((ip, id))
                        }
                    }
                }
            }
        }
        self.set.entities.push(record);
        self.set.reports.push(report);
        self.deferred_links.push((self.set.reports.len() - 1, source_id, retracts, based_on, self.file));
    }

    fn assertion(&mut self, path: &str, tree: Tree) -> Option<Record> {
        let schema = self.schema;
        // Only needed for error messages: built on demand.
        let assertion_names =
            move || -> Vec<&str> { schema.types().filter(|(_, t)| t.kind == TypeKind::Assertion).map(|(_, t)| t.name.as_str()).collect() };
        let entries = match tree {
            Tree::Map(entries) if entries.len() == 1 => entries,
            other => {
                self.error(
                    path,
                    format!("expected one assertion such as `geolocation: {{...}}`, found {}", other.describe()),
                    Some(format!("assertion types: {}", assertion_names().join(", "))),
                );
                return None;
            }
        };
        let (name, body) = entries.into_iter().next()?;
        let is_assertion = self.schema.lookup(&name).map(|t| self.schema.get(t).kind == TypeKind::Assertion).unwrap_or(false);
        if !is_assertion {
            let names = assertion_names();
            let help = did_you_mean(&name, names.iter().copied()).unwrap_or_else(|| format!("assertion types: {}", names.join(", ")));
            self.error(&format!("{path}.{name}"), format!("unknown assertion type `{name}`"), Some(help));
            return None;
        }
        self.record(&name, &format!("{path}.{name}"), body, &[]).map(|(r, _)| r)
    }

    /// Reads `parent:` links, refusing loops, and questions whose hypotheses
    /// contain one another (a unit and its own service cannot both be asked).
    fn resolve_hierarchy(&mut self) {
        let Some(actor_ty) = self.schema.lookup("actor") else { return };
        let Some(parent_field) = self.schema.get(actor_ty).field("parent") else { return };
        let mut where_: BTreeMap<String, (SourceId, String)> = BTreeMap::new();
        for record in self.set.entities.iter().filter(|r| r.ty == actor_ty) {
            if let (Some(id), Some(parent)) = (record.text(0), record.text(parent_field)) {
                self.set.parents.insert(id.to_string(), parent.to_string());
                where_.insert(id.to_string(), (record.file, format!("{}.parent", record.path)));
            }
        }
        let mut looped = vec![];
        for (id, (file, path)) in &where_ {
            let mut seen = vec![id.as_str()];
            let mut at = id.as_str();
            while let Some(parent) = self.set.parents.get(at) {
                if seen.contains(&parent.as_str()) {
                    if parent == id {
                        looped.push((*file, path.clone(), format!("{} → {id}", seen.join(" → "))));
                    }
                    break;
                }
                seen.push(parent);
                at = parent;
            }
        }
        for (file, path, chain) in looped {
            self.file = file;
            self.error(
                &path,
                format!("the actors' parents form a loop: {chain}"),
                Some("a unit belongs to a service, a service to a state: remove one `parent:`".into()),
            );
        }
        let mut nested = vec![];
        for q in &self.set.questions {
            for (i, a) in q.hypotheses.iter().enumerate() {
                for b in q.hypotheses.iter().skip(i + 1) {
                    let (outer, inner) = if self.set.contains(&a.actor, &b.actor) && a.actor != b.actor {
                        (&a.actor, &b.actor)
                    } else if self.set.contains(&b.actor, &a.actor) && a.actor != b.actor {
                        (&b.actor, &a.actor)
                    } else {
                        continue;
                    };
                    let file = self.set.entities.iter().find(|r| r.path == q.path).map(|r| r.file).unwrap_or(self.file);
                    nested.push((
                        file,
                        q.path.clone(),
                        format!("hypotheses `{outer}` and `{inner}` overlap: `{inner}` is part of `{outer}`"),
                        inner.clone(),
                    ));
                }
            }
        }
        for (file, path, message, inner) in nested {
            self.file = file;
            self.error(
                &format!("{path}.hypotheses"),
                message,
                Some(format!("hypotheses must exclude each other: list `{inner}` and its siblings, or only their parent")),
            );
        }
    }

    /// Checks references once every file is loaded, so files may refer to each other.
    fn resolve(&mut self) {
        // A later incident with the same id (an error reported below) replaces the first.
        for (id, name, date) in std::mem::take(&mut self.incidents) {
            self.set.incidents.insert(id, (name, date));
        }
        self.interned = HashSet::default();
        let mut ids: HashMap<String, Vec<String>> = HashMap::new();
        let mut seen: HashMap<(String, String), (String, SourceId)> = HashMap::new();
        let mut duplicates = vec![];
        for record in &self.set.entities {
            let spec = self.schema.get(record.ty);
            if spec.field("id") != Some(0) {
                continue;
            }
            if let Some(id) = record.text(0) {
                let key = (spec.name.clone(), id.to_string());
                if let Some((first, file)) = seen.get(&key) {
                    let first = if *file == record.file { first.clone() } else { format!("{} ({first})", self.sources.name(*file)) };
                    duplicates.push((record.file, record.path.clone(), spec.name.clone(), id.to_string(), first));
                } else {
                    seen.insert(key, (record.path.clone(), record.file));
                    ids.entry(spec.name.clone()).or_default().push(id.to_string());
                }
            }
        }
        for (file, path, kind, id, first) in duplicates {
            self.file = file;
            self.error(
                &format!("{path}.id"),
                format!("duplicate {kind} id `{id}`"),
                Some(format!("it is first used at {first}; ids must be unique")),
            );
        }
        let pending = std::mem::take(&mut self.pending);
        // Hash sets for lookups (the lists keep the written order for suggestions).
        let known_ids: HashMap<&str, std::collections::HashSet<&str>> =
            ids.iter().map(|(kind, list)| (kind.as_str(), list.iter().map(String::as_str).collect())).collect();
        for r in pending {
            let known = ids.get(&r.kind).map(|v| v.as_slice()).unwrap_or(&[]);
            if !known_ids.get(r.kind.as_str()).is_some_and(|set| set.contains(r.id.as_str())) {
                self.file = r.file;
                let help = did_you_mean(&r.id, known.iter().map(String::as_str))
                    .unwrap_or_else(|| format!("declare it under `{}s:` or fix the id", r.kind));
                self.error(&r.path, format!("no {} has the id `{}`", r.kind, r.id), Some(help));
            }
        }
        let artifacts = ids.get("artifact").cloned().unwrap_or_default();
        let artifact_set: std::collections::HashSet<&str> = artifacts.iter().map(String::as_str).collect();
        let actor_ty = self.schema.lookup("actor");
        let mut tool_errors = vec![];
        for record in &self.set.entities {
            if Some(record.ty) != actor_ty {
                continue;
            }
            if let Some(Some(Value::List(tools))) = record.fields.get(4) {
                for (i, t) in tools.iter().enumerate() {
                    let t = t.to_string();
                    if !artifact_set.contains(t.as_str()) {
                        tool_errors.push((record.file, format!("{}.tools[{i}]", record.path), t));
                    }
                }
            }
            if let (Some(id), Some(name)) = (record.text(0), record.text(1).or(record.text(0))) {
                self.set.actors.insert(id.to_string(), name.to_string());
            }
        }
        self.resolve_hierarchy();
        for (file, path, t) in tool_errors {
            self.file = file;
            let help =
                did_you_mean(&t, artifacts.iter().map(String::as_str)).unwrap_or_else(|| "declare the tool under `artifacts:`".into());
            self.error(&path, format!("no artifact has the id `{t}`"), Some(help));
        }
        let links = std::mem::take(&mut self.deferred_links);
        // First occurrence wins, as with duplicate ids (reported above).
        let mut source_index: HashMap<&str, usize> = HashMap::new();
        for (i, s) in self.set.sources.iter().enumerate() {
            source_index.entry(s.id.as_str()).or_insert(i);
        }
        let mut report_index: HashMap<String, usize> = HashMap::new();
        for (i, r) in self.set.reports.iter().enumerate() {
            report_index.entry(r.id.clone()).or_insert(i);
        }
        let sources: Vec<usize> = links.iter().map(|l| source_index.get(l.1.as_str()).copied().unwrap_or(usize::MAX)).collect();
        let mut files = vec![SourceId(0); self.set.reports.len()];
        for ((index, _, retracts, based_on, file), source) in links.into_iter().zip(sources) {
            self.file = file;
            files[index] = file;
            self.check_links(index, &retracts, &based_on, &report_index);
            let find = |(_, id): &Link| report_index.get(id).copied().filter(|&r| r != index);
            let retracts: Vec<usize> = retracts.iter().filter_map(find).collect();
            let based_on: Vec<usize> = based_on.iter().filter_map(find).collect();
            let report = &mut self.set.reports[index];
            report.source = source;
            report.retracts = retracts;
            report.based_on = based_on;
        }
        self.check_cycles(&files);
    }
}

impl Loader<'_> {
    /// Reports that repeat one another in a circle (none of them is the
    /// original), or withdraw one another, are an error.
    fn check_cycles(&mut self, files: &[SourceId]) {
        let relations: [(&str, Vec<Vec<usize>>); 2] = [
            ("based_on", self.set.reports.iter().map(|r| r.based_on.clone()).collect()),
            ("retracts", self.set.reports.iter().map(|r| r.retracts.clone()).collect()),
        ];
        for (key, next) in relations {
            for cycle in cycles(&next) {
                let names: Vec<String> = cycle.iter().map(|&r| format!("`{}`", self.set.reports[r].id)).collect();
                let last = *cycle.last().unwrap_or(&0);
                self.file = files[last];
                let path = format!("{}.{key}", self.set.reports[last].path);
                let (message, help) = if key == "based_on" {
                    (
                        format!("reports {} repeat one another in a circle (`based_on`)", names.join(", ")),
                        "an echo repeats an original: remove `based_on` from the report that is the original",
                    )
                } else {
                    (
                        format!("reports {} withdraw one another in a circle (`retracts`)", names.join(", ")),
                        "a retraction withdraws a report made before it: keep `retracts` on one of them only",
                    )
                };
                self.error(&path, message, Some(help.into()));
            }
        }
    }

    /// A report that repeats or withdraws itself, or withdraws a report made
    /// after it, is an error: a retraction can only follow what it withdraws.
    fn check_links(
        &mut self,
        index: usize,
        retracts: &[(String, String)],
        based_on: &[(String, String)],
        reports: &HashMap<String, usize>,
    ) {
        let own = self.set.reports[index].id.clone();
        for (key, links) in [("based_on", based_on), ("retracts", retracts)] {
            for (path, id) in links {
                if reports.get(id) == Some(&index) {
                    let what = if key == "retracts" { "withdraw" } else { "repeat" };
                    self.error(
                        path,
                        format!("report `{own}` names itself in `{key}`"),
                        Some(format!("a report cannot {what} itself; name another report or remove `{id}`")),
                    );
                }
            }
        }
        let date = self.set.reports[index].date;
        for (path, id) in retracts {
            let Some(&target) = reports.get(id).filter(|&&t| t != index) else { continue };
            let made = self.set.reports[target].date;
            // Date(0) stands for a missing or invalid date, already reported.
            if made > date && date != Date(0) {
                self.error(
                    path,
                    format!("report `{own}` ({date}) withdraws `{id}`, which is dated later ({made})"),
                    Some(format!(
                        "a retraction is made on or after the report it withdraws: check both dates, or date `{own}` {made} or later"
                    )),
                );
            }
        }
    }
}

/// Cycles of a relation (each node's successors), one per back edge of a
/// depth-first search, each listed from where it starts; iterative, so long
/// chains of reports cannot overflow the stack.
fn cycles(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut state = vec![0u8; next.len()]; // 0 unseen, 1 on the path, 2 done
    let mut found = vec![];
    for start in 0..next.len() {
        if state[start] != 0 {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut edge)) = path.last_mut() {
            match next[node].get(*edge) {
                Some(&to) => {
                    *edge += 1;
                    match state.get(to) {
                        Some(0) => {
                            state[to] = 1;
                            path.push((to, 0));
                        }
                        Some(1) => {
                            let from = path.iter().position(|&(n, _)| n == to).unwrap_or(0);
                            found.push(path[from..].iter().map(|&(n, _)| n).collect());
                        }
                        _ => {}
                    }
                }
                None => {
                    state[node] = 2;
                    path.pop();
                }
            }
        }
    }
    found
}

/// A number as written, in scientific notation when very large or small.
fn number(n: f64) -> String {
    if n != 0.0 && !(1e-6..1e15).contains(&n.abs()) {
        format!("{n:e}")
    } else {
        crate::value::format_number(n)
    }
}

/// A type name with its indefinite article: "an incident", "a source".
fn a(name: &str) -> String {
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {name}")
}

/// How to write a value of a type.
fn example(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Ref(_) => "write the id, for example `north-korea`",
        FieldType::Text => "write a text; quote it if it contains `: ` or starts with a symbol",
        FieldType::Number => "write a number without quotes, for example 3",
        FieldType::Date => "write a date as YYYY-MM-DD, for example 2013-03-20",
        FieldType::Bool => "write true or false, without quotes",
        FieldType::List => "write a list such as [a, b]",
    }
}

fn describe_type(ty: &FieldType) -> String {
    match ty {
        FieldType::Ref(kind) => format!("the id of an {kind}"),
        FieldType::Text => "text".into(),
        FieldType::Number => "a number".into(),
        FieldType::Date => "a date (YYYY-MM-DD)".into(),
        FieldType::Bool => "true or false".into(),
        FieldType::List => "a list".into(),
    }
}

/// A number written in digits that is too large for a float (`1e999999`): the
/// parsers keep it as text, which is not what its author meant.
fn out_of_range(text: &str) -> bool {
    let t = text.trim();
    t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && t.parse::<f64>().is_ok_and(|x| !x.is_finite())
}
