//! Document tree → validated [`EvidenceSet`], with a YAML path and a likely
//! fix for every problem.
//!
//! Built for large sets: texts are read borrowed from the document where the
//! parser allows, repeated texts are held once, a reference is checked at
//! once against the ids loaded before it (only the others wait for the end),
//! and a YAML path is written out only for a diagnostic.

use super::model::*;
use super::tree::Tree;
use super::yaml;
use crate::diagnostics::{Location, Stage};
use crate::prelude::*;
use crate::scales;
use crate::schema::{TypeSpec, REPORT_FIELD};
use crate::suggest::did_you_mean;
use std::borrow::Cow;

const SECTIONS: [&str; 8] = ["case", "description", "sources", "actors", "incidents", "artifacts", "questions", "reports"];

/// A hash set with a fast, fixed hasher: lookups only, never iterated for output.
type FastSet<T> = std::collections::HashSet<T, foldhash::fast::FixedState>;

/// A hash map with a fast, fixed hasher: lookups only, never iterated for output.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// An id, or a reference to one, may be this long (bytes).
pub const MAX_ID: usize = 256;

/// Loads and validates evidence texts (already added to `sources`) as one set.
pub fn load(files: &[SourceId], sources: &Sources, schema: &Schema) -> Result<EvidenceSet, Diagnostics> {
    let mut loader = Loader::new(sources, schema);
    for &file in files {
        loader.file = file;
        loader.set.files.push(file);
        let text = sources.text(file);
        let json = yaml::reads_as_json(text);
        if !json && crate::interop::stix::is_bundle(text) {
            loader.load_bundle(text);
            continue;
        }
        // The fast way reads one item at a time; at the first problem what it
        // loaded is undone and the whole document is read again, the slow way,
        // for an error with its position or YAML path.
        let before = loader.checkpoint();
        loader.typed = false;
        let streamed = yaml::stream(text, &mut loader);
        // JSON read whole, without a top-level `type`, is no STIX bundle: the
        // probe that reads the text again is needed only otherwise.
        if json && (streamed.is_err() || loader.typed) && crate::interop::stix::is_bundle(text) {
            loader.rollback(&before);
            loader.load_bundle(text);
            continue;
        }
        if streamed.is_err() {
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

/// The entries of a mapping, as written.
type Entries<'t> = Vec<(Cow<'t, str>, Tree<'t>)>;

/// A relation between reports: those each report names in one of its keys.
type Relation = fn(&ReportRecord) -> &[usize];

/// A report named in `retracts` or `based_on`: the YAML path and the id.
type Link = (String, String);

/// A report's `retracts` and `based_on`, linked in `resolve`.
struct Links {
    report: usize,
    retracts: Vec<Link>,
    based_on: Vec<Link>,
}

/// A reference to an id not loaded yet: checked once every file is loaded,
/// so files may refer to each other.
struct PendingRef<'a> {
    file: SourceId,
    at: RefAt,
    kind: &'a str,
    id: Arc<str>,
}

/// Where a reference was written.
enum RefAt {
    /// Field `field` of a record of type `ty`.
    Field { record: Loc, ty: TypeId, field: u32 },
    /// Elsewhere (a hypothesis, `retracts`, `based_on`): the YAML path.
    Path(String),
}

/// A problem found in `resolve`, written out once the ids are no longer borrowed.
struct Found {
    file: SourceId,
    path: String,
    message: String,
    help: Option<String>,
}

struct Loader<'a> {
    sources: &'a Sources,
    schema: &'a Schema,
    set: EvidenceSet,
    diagnostics: Diagnostics,
    file: SourceId,
    pending: Vec<PendingRef<'a>>,
    /// The ids loaded so far, by type name, for references to check at once.
    known: Vec<(&'a str, FastSet<Arc<str>>)>,
    /// The reports that name others in `retracts` or `based_on`.
    links: Vec<Links>,
    /// Each report's source id, as written: linked in `resolve`.
    report_sources: Vec<Option<Arc<str>>>,
    /// How many other entities were loaded before each report: where its
    /// record goes among them.
    report_anchors: Vec<usize>,
    /// Reports whose id is not a text (an error already): they take no part
    /// in the check for duplicate ids.
    unnamed_reports: BTreeSet<usize>,
    /// Incident id, name and date, in the order loaded: indexed in `resolve`.
    incidents: Vec<(String, String, Date)>,
    /// Every text value loaded so far (other than ids), so that a text
    /// written by thousands of reports is held once.
    interned: FastSet<Arc<str>>,
    /// Whether the document read has a top-level `type` (as a STIX bundle has).
    typed: bool,
}

/// How much of each list the loader had filled, to undo a file's partial load.
struct Checkpoint {
    others: usize,
    sources: usize,
    reports: usize,
    questions: usize,
    incidents: usize,
    diagnostics: usize,
    pending: usize,
    links: usize,
}

impl yaml::Sink for Loader<'_> {
    fn document(&mut self, tree: Tree<'_>) {
        let found = tree.describe();
        self.error(
            "",
            format!("expected a mapping of sections, found {found}"),
            Some(format!("an evidence file has the sections {}", SECTIONS[2..].join(", "))),
        );
    }

    fn section(&mut self, key: &str) {
        self.typed |= key == "type";
        if !SECTIONS.contains(&key) {
            let help = did_you_mean(key, SECTIONS).unwrap_or_else(|| format!("the sections are {}", SECTIONS.join(", ")));
            self.error(key, format!("unknown section `{key}`"), Some(help));
        }
    }

    fn item(&mut self, key: &str, index: usize, tree: Tree<'_>) {
        let Some(section) = Section::of(key) else { return };
        let at = Loc::item(section, index);
        match section {
            Section::Sources => self.load_source(at, tree),
            Section::Actors => self.load_entity("actor", at, tree),
            Section::Incidents => self.load_incident(at, tree),
            Section::Artifacts => self.load_entity("artifact", at, tree),
            Section::Questions => self.load_question(at, tree),
            Section::Reports => self.load_report(at, tree),
        }
    }

    fn value(&mut self, key: &str, tree: Tree<'_>) {
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

impl<'a> Loader<'a> {
    fn new(sources: &'a Sources, schema: &'a Schema) -> Loader<'a> {
        Loader {
            sources,
            schema,
            set: EvidenceSet { report_ty: schema.lookup("report"), ..EvidenceSet::default() },
            diagnostics: Diagnostics::default(),
            file: SourceId(0),
            pending: vec![],
            known: vec![],
            links: vec![],
            report_sources: vec![],
            report_anchors: vec![],
            unnamed_reports: BTreeSet::new(),
            incidents: vec![],
            interned: FastSet::default(),
            typed: false,
        }
    }

    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            others: self.set.others.len(),
            sources: self.set.sources.len(),
            reports: self.set.reports.len(),
            questions: self.set.questions.len(),
            incidents: self.incidents.len(),
            diagnostics: self.diagnostics.0.len(),
            pending: self.pending.len(),
            links: self.links.len(),
        }
    }

    fn rollback(&mut self, to: &Checkpoint) {
        self.set.others.truncate(to.others);
        self.set.sources.truncate(to.sources);
        self.set.reports.truncate(to.reports);
        self.report_sources.truncate(to.reports);
        self.report_anchors.truncate(to.reports);
        self.unnamed_reports.retain(|&r| r < to.reports);
        self.set.questions.truncate(to.questions);
        self.incidents.truncate(to.incidents);
        self.diagnostics.0.truncate(to.diagnostics);
        self.pending.truncate(to.pending);
        self.links.truncate(to.links);
        // The ids of what was undone are forgotten too.
        self.known.clear();
        for i in 0..self.set.others.len() {
            let (ty, id) = (self.set.others[i].ty, self.set.others[i].fields.first().cloned().flatten());
            self.know(ty, id.as_ref());
        }
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

    /// Adds an entity other than a report, noting its id.
    fn push_entity(&mut self, record: Record) {
        self.know(record.ty, record.fields.first().and_then(Option::as_ref));
        self.set.others.push(record);
    }

    /// Notes the id of an entity of type `ty` (its first field, when it is `id`).
    fn know(&mut self, ty: TypeId, id: Option<&Value>) {
        let spec = self.schema.get(ty);
        let (Some(Value::Str(id)), Some(0)) = (id, spec.field("id")) else { return };
        let kind = spec.name.as_str();
        match self.known.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, ids)) => {
                ids.insert(id.clone());
            }
            None => self.known.push((kind, FastSet::from_iter([id.clone()]))),
        }
    }

    /// Checks a reference now if its id is loaded already; otherwise once
    /// every file is.
    fn refer(&mut self, kind: &'a str, id: &Arc<str>, at: impl FnOnce() -> RefAt) {
        if self.known.iter().any(|(k, ids)| *k == kind && ids.contains(id)) {
            return;
        }
        self.pending.push(PendingRef { file: self.file, at: at(), kind, id: id.clone() });
    }
}

impl<'a> Loader<'a> {
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

    /// Writes out problems found in `resolve`, each in its file.
    fn emit(&mut self, found: Vec<Found>) {
        for f in found {
            self.file = f.file;
            self.error(&f.path, f.message, f.help);
        }
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
    fn load_document(&mut self, tree: Tree<'_>) {
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
    fn record<'t>(&mut self, type_name: &str, at: Loc, tree: Tree<'t>, extra: &[&str]) -> Option<(Record, Entries<'t>)> {
        let ty = self.schema.lookup(type_name)?;
        let schema: &'a Schema = self.schema;
        let spec: &'a TypeSpec = schema.get(ty);
        let path = || at.path(type_name);
        let Tree::Map(entries) = tree else {
            self.error(
                &path(),
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
            if extra.contains(&key.as_ref()) {
                rest.push((key, value));
                continue;
            }
            let field_path = || format!("{}.{key}", path());
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
                self.error(&field_path(), format!("unknown field `{key}` for {}", a(type_name)), Some(help));
                continue;
            };
            written[index] = true;
            let field_ty = &spec.fields[index].ty;
            if let Some(v) = self.value(&field_path, key == "id", field_ty, value) {
                if let Value::Str(word) = &v {
                    if let Some(help) = spec.fields[index].refuses(word) {
                        self.error(&field_path(), format!("`{word}` is not a known `{key}` of {}", a(type_name)), Some(help));
                        continue;
                    }
                }
                if let (FieldType::Ref(kind), Value::Str(id)) = (field_ty, &v) {
                    let field = u32::try_from(index).unwrap_or(u32::MAX);
                    self.refer(kind, id, || RefAt::Field { record: at, ty, field });
                }
                fields[index] = Some(v);
            }
        }
        for (index, f) in spec.fields.iter().enumerate() {
            if f.required && !written[index] && f.name != REPORT_FIELD {
                self.error(
                    &path(),
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
        self.check_ranges(type_name, spec, &path, &fields);
        Some((Record { ty, fields, at, file: self.file }, rest))
    }

    /// A field's value. `path` writes out the field's YAML path, for a
    /// diagnostic; an `id` is not shared with other texts (ids are unique).
    fn value(&mut self, path: &dyn Fn() -> String, is_id: bool, ty: &FieldType, tree: Tree<'_>) -> Option<Value> {
        let found = tree.describe();
        if let Tree::Str(s) = &tree {
            if (matches!(ty, FieldType::Ref(_)) || is_id) && s.len() > MAX_ID {
                self.error(
                    &path(),
                    format!("an id of {} bytes, longer than the limit of {MAX_ID}", s.len()),
                    Some("use a short id".into()),
                );
                return None;
            }
        }
        match (ty, tree) {
            (FieldType::Text | FieldType::Ref(_), Tree::Str(s)) if is_id => Some(Value::str(&s)),
            (FieldType::Text | FieldType::Ref(_), Tree::Str(s)) => Some(self.text_value(&s)),
            (FieldType::Number, Tree::Num(n)) => Some(Value::Num(n)),
            (FieldType::Bool, Tree::Bool(b)) => Some(Value::Bool(b)),
            (FieldType::Date, Tree::Str(s)) => match Date::parse(&s) {
                Some(d) => Some(Value::Date(d)),
                None => {
                    self.error(&path(), format!("`{s}` is not a date"), Some("write dates as YYYY-MM-DD, for example 2013-03-20".into()));
                    None
                }
            },
            (FieldType::List, Tree::Seq(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    match item {
                        Tree::Str(s) => out.push(self.text_value(&s)),
                        other => self.error(
                            &format!("{}[{i}]", path()),
                            format!("expected a name, found {}", other.describe()),
                            Some("list entries are names or ids".into()),
                        ),
                    }
                }
                Some(Value::List(Arc::from(out)))
            }
            (FieldType::List, Tree::Str(s)) => {
                self.error(&path(), format!("expected a list, found the string `{s}`"), Some(format!("write [{s}]")));
                None
            }
            (FieldType::Text | FieldType::Ref(_), Tree::Num(n)) => {
                self.error(&path(), format!("expected {}, found the number {n}", describe_type(ty)), Some(format!("quote it: \"{n}\"")));
                None
            }
            (FieldType::Number, Tree::Str(s)) if out_of_range(&s) => {
                self.error(
                    &path(),
                    format!("the number {s} is out of range: it is not finite (the largest is about 1.8e308)"),
                    Some("write a finite number, for example 3".into()),
                );
                None
            }
            (_, _) => {
                self.error(&path(), format!("expected {}, found {found}", describe_type(ty)), Some(example(ty).into()));
                None
            }
        }
    }

    fn load_entity(&mut self, type_name: &str, at: Loc, tree: Tree<'_>) {
        if let Some((record, _)) = self.record(type_name, at, tree, &[]) {
            self.push_entity(record);
        }
    }

    fn load_source(&mut self, at: Loc, tree: Tree<'_>) {
        let Some((record, _)) = self.record("source", at, tree, &[]) else { return };
        let reliability = record.text(3).unwrap_or("").to_string();
        if !reliability.is_empty() && scales::reliability_weight(&reliability).is_none() {
            self.error(
                &format!("{}.reliability", at.path("source")),
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
        self.push_entity(record);
    }

    fn load_incident(&mut self, at: Loc, tree: Tree<'_>) {
        let Some((record, _)) = self.record("incident", at, tree, &[]) else { return };
        let id = record.text(0).unwrap_or("").to_string();
        let name = record.text(1).unwrap_or(&id).to_string();
        if let Some(Some(Value::Date(d))) = record.fields.get(2) {
            self.incidents.push((id, name, *d));
        }
        self.push_entity(record);
    }

    fn load_question(&mut self, at: Loc, tree: Tree<'_>) {
        let Some((record, rest)) = self.record("question", at, tree, &["text", "hypotheses", "other_prior"]) else { return };
        let path = at.path("question");
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
            match (key.as_ref(), value) {
                ("text", Tree::Str(s)) => question.text = s.into_owned(),
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
                self.push_entity(Record { ty, fields, at, file: self.file });
            }
        }
        self.push_entity(record);
        self.set.questions.push(question);
    }

    fn hypothesis(&mut self, path: &str, tree: Tree<'_>) -> Option<HypothesisRecord> {
        let (actor, prior) = match tree {
            Tree::Str(s) => (s.into_owned(), None),
            Tree::Map(entries) => {
                let mut actor = None;
                let mut prior = None;
                for (k, v) in entries {
                    match (k.as_ref(), v) {
                        ("actor", Tree::Str(s)) => actor = Some(s.into_owned()),
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
        self.refer("actor", &Arc::from(actor.as_str()), || RefAt::Path(path.to_string()));
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
    fn check_ranges(&mut self, type_name: &str, spec: &TypeSpec, path: &dyn Fn() -> String, fields: &[Option<Value>]) {
        for (f, v) in spec.fields.iter().zip(fields) {
            let (Some(range), Some(Value::Num(n))) = (f.range, v) else { continue };
            let field_path = || format!("{}.{}", path(), f.name);
            let shown = || number(*n);
            if range.min.is_some_and(|lo| *n < lo) || range.max.is_some_and(|hi| *n > hi) {
                self.error(
                    &field_path(),
                    format!("`{}` of {} must be {}, found {}", f.name, a(type_name), range.describe(), shown()),
                    Some(format!("`{}` is {}: write a number {}", f.name, f.doc, range.describe())),
                );
                continue;
            }
            let Some(other) = range.at_most else { continue };
            if let Some(Some(Value::Num(m))) = spec.field(other).map(|i| &fields[i]) {
                if n > m {
                    self.error(
                        &field_path(),
                        format!("`{}` of {} is {}, more than its `{other}` ({})", f.name, a(type_name), shown(), number(*m)),
                        Some(format!("`{}` counts part of `{other}`: it can be at most {}", f.name, number(*m))),
                    );
                }
            }
        }
    }

    fn load_report(&mut self, at: Loc, tree: Tree<'_>) {
        let Some((record, rest)) = self.record("report", at, tree, &["asserts", "retracts", "based_on"]) else { return };
        let path = || at.path("report");
        let index = self.set.reports.len();
        let mut fields = record.fields.into_iter();
        let (id, source, date, credibility, title) = (fields.next(), fields.next(), fields.next(), fields.next(), fields.next());
        let id = match id.flatten() {
            Some(Value::Str(id)) => id.to_string(),
            _ => {
                self.unnamed_reports.insert(index);
                String::new()
            }
        };
        let source = match source.flatten() {
            Some(Value::Str(source)) => Some(source),
            _ => None,
        };
        let date = match date.flatten() {
            Some(Value::Date(d)) => d,
            _ => Date(0),
        };
        let credibility = match credibility.flatten() {
            Some(Value::Num(n)) => {
                if n.fract() != 0.0 || !(1.0..=6.0).contains(&n) {
                    self.error(
                        &format!("{}.credibility", path()),
                        format!("{n} is not an Admiralty credibility grade"),
                        Some("use 1 (confirmed) to 5 (improbable), or 6 (cannot be judged)".into()),
                    );
                    6
                } else {
                    n as u8
                }
            }
            _ => 6,
        };
        let title = match title.flatten() {
            Some(Value::Str(title)) => Some(Box::from(&*title)),
            _ => None,
        };
        let mut asserts = vec![];
        let mut retracts = vec![];
        let mut based_on = vec![];
        for (key, value) in rest {
            let p = format!("{}.{key}", path());
            match key.as_ref() {
                "asserts" => match value {
                    Tree::Seq(items) => {
                        asserts.reserve_exact(items.len());
                        for (i, item) in items.into_iter().enumerate() {
                            if let Some(a) = self.assertion(at, i, item) {
                                asserts.push(a);
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
                        Tree::Str(s) => vec![(p.clone(), s.into_owned())],
                        Tree::Seq(items) => items
                            .into_iter()
                            .enumerate()
                            .filter_map(|(i, t)| match t {
                                Tree::Str(s) => Some((format!("{p}[{i}]"), s.into_owned())),
                                _ => None,
                            })
                            .collect(),
                        other => {
                            self.error(&p, format!("expected report ids, found {}", other.describe()), None);
                            vec![]
                        }
                    };
                    for (ip, id) in ids {
                        self.pending.push(PendingRef {
                            file: self.file,
                            at: RefAt::Path(ip.clone()),
                            kind: "report",
                            id: Arc::from(id.as_str()),
                        });
                        if key == "retracts" {
                            retracts.push((ip, id))
                        } else {
                            based_on.push((ip, id))
                        }
                    }
                }
            }
        }
        self.set.reports.push(ReportRecord {
            id,
            source: usize::MAX,
            date,
            credibility,
            title,
            retracts: Box::default(),
            based_on: Box::default(),
            asserts: asserts.into_boxed_slice(),
            file: self.file,
            item: at.item,
        });
        self.report_sources.push(source);
        self.report_anchors.push(self.set.others.len());
        if !retracts.is_empty() || !based_on.is_empty() {
            self.links.push(Links { report: index, retracts, based_on });
        }
    }

    /// Assertion `index` of the report at `report`.
    fn assertion(&mut self, report: Loc, index: usize, tree: Tree<'_>) -> Option<Record> {
        let schema = self.schema;
        let path = || format!("{}.asserts[{index}]", report.path("report"));
        // Only needed for error messages: built on demand.
        let assertion_names =
            move || -> Vec<&str> { schema.types().filter(|(_, t)| t.kind == TypeKind::Assertion).map(|(_, t)| t.name.as_str()).collect() };
        let entries = match tree {
            Tree::Map(entries) if entries.len() == 1 => entries,
            other => {
                self.error(
                    &path(),
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
            self.error(&format!("{}.{name}", path()), format!("unknown assertion type `{name}`"), Some(help));
            return None;
        }
        let at = Loc { assertion: Some(u32::try_from(index).unwrap_or(u32::MAX)), ..report };
        self.record(&name, at, body, &[]).map(|(r, _)| r)
    }

    /// Reads `parent:` links, refusing loops, and questions whose hypotheses
    /// contain one another (a unit and its own service cannot both be asked).
    fn resolve_hierarchy(&mut self) {
        let Some(actor_ty) = self.schema.lookup("actor") else { return };
        let Some(parent_field) = self.schema.get(actor_ty).field("parent") else { return };
        let mut where_: BTreeMap<String, (SourceId, String)> = BTreeMap::new();
        for record in self.set.others.iter().filter(|r| r.ty == actor_ty) {
            if let (Some(id), Some(parent)) = (record.text(0), record.text(parent_field)) {
                self.set.parents.insert(id.to_string(), parent.to_string());
                where_.insert(id.to_string(), (record.file, format!("{}.parent", record.path(self.schema))));
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
                    // The first entity written at the question's path (in any file).
                    let file = self.set.others.iter().find(|r| r.at.path("") == q.path).map(|r| r.file).unwrap_or(self.file);
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
        self.interned = FastSet::default();
        self.known = vec![];
        self.set.report_runs = runs(&std::mem::take(&mut self.report_anchors));
        self.set.source_ids = self.set.sources.iter().map(|s| Value::str(&s.id)).collect();
        let pending = std::mem::take(&mut self.pending);
        let links = std::mem::take(&mut self.links);
        let report_sources = std::mem::take(&mut self.report_sources);
        let unnamed = std::mem::take(&mut self.unnamed_reports);
        let (schema, sources, set) = (self.schema, self.sources, &self.set);
        let mut found = vec![];
        // Ids by type, first occurrence first (reports apart: there are many).
        let mut ids: FastMap<&str, Vec<&str>> = FastMap::default();
        let mut first: FastMap<(&str, &str), (SourceId, Loc)> = FastMap::default();
        let mut first_report: FastMap<&str, usize> = FastMap::default();
        first_report.reserve(set.reports.len());
        let duplicate = |(file, path): (SourceId, String), kind: &str, id: &str, (first_file, first): (SourceId, String)| {
            let first = if first_file == file { first } else { format!("{} ({first})", sources.name(first_file)) };
            Found {
                file,
                path: format!("{path}.id"),
                message: format!("duplicate {kind} id `{id}`"),
                help: Some(format!("it is first used at {first}; ids must be unique")),
            }
        };
        for placed in set.placed() {
            match placed {
                Placed::Report(i) if !unnamed.contains(&i) => {
                    let r = &set.reports[i];
                    match first_report.entry(r.id.as_str()) {
                        std::collections::hash_map::Entry::Occupied(e) => {
                            let f = &set.reports[*e.get()];
                            found.push(duplicate((r.file, r.path()), "report", &r.id, (f.file, f.path())));
                        }
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(i);
                        }
                    }
                }
                Placed::Report(_) => {}
                Placed::Other(record) => {
                    let spec = schema.get(record.ty);
                    let (Some(0), Some(id)) = (spec.field("id"), record.text(0)) else { continue };
                    match first.entry((spec.name.as_str(), id)) {
                        std::collections::hash_map::Entry::Occupied(e) => {
                            let (file, at) = *e.get();
                            found.push(duplicate((record.file, record.at.path("")), &spec.name, id, (file, at.path(""))));
                        }
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert((record.file, record.at));
                            ids.entry(spec.name.as_str()).or_default().push(id);
                        }
                    }
                }
            }
        }
        drop(first);
        let id_sets: FastMap<&str, FastSet<&str>> = ids.iter().map(|(kind, list)| (*kind, list.iter().copied().collect())).collect();
        // Report ids in order, for suggestions: built when one is needed.
        let report_ids = || -> Vec<&str> {
            set.reports.iter().enumerate().filter(|(i, r)| first_report.get(r.id.as_str()) == Some(i)).map(|(_, r)| r.id.as_str()).collect()
        };
        for r in &pending {
            let known = if r.kind == "report" {
                first_report.contains_key(&*r.id)
            } else {
                id_sets.get(r.kind).is_some_and(|set| set.contains(&*r.id))
            };
            if known {
                continue;
            }
            let candidates = if r.kind == "report" { report_ids() } else { ids.get(r.kind).cloned().unwrap_or_default() };
            let help =
                did_you_mean(&r.id, candidates.iter().copied()).unwrap_or_else(|| format!("declare it under `{}s:` or fix the id", r.kind));
            let path = match &r.at {
                RefAt::Field { record, ty, field } => {
                    let spec = schema.get(*ty);
                    let name = spec.fields.get(*field as usize).map_or("", |f| f.name.as_str());
                    format!("{}.{name}", record.path(&spec.name))
                }
                RefAt::Path(path) => path.clone(),
            };
            found.push(Found { file: r.file, path, message: format!("no {} has the id `{}`", r.kind, r.id), help: Some(help) });
        }
        drop(pending);
        let artifacts = ids.get("artifact").cloned().unwrap_or_default();
        let artifact_set = id_sets.get("artifact");
        let actor_ty = schema.lookup("actor");
        let mut tool_errors = vec![];
        let mut actors = vec![];
        for record in &set.others {
            if Some(record.ty) != actor_ty {
                continue;
            }
            if let Some(Some(Value::List(tools))) = record.fields.get(4) {
                for (i, t) in tools.iter().enumerate() {
                    let t = t.to_string();
                    if !artifact_set.is_some_and(|s| s.contains(t.as_str())) {
                        let help =
                            did_you_mean(&t, artifacts.iter().copied()).unwrap_or_else(|| "declare the tool under `artifacts:`".into());
                        tool_errors.push(Found {
                            file: record.file,
                            path: format!("{}.tools[{i}]", record.path(schema)),
                            message: format!("no artifact has the id `{t}`"),
                            help: Some(help),
                        });
                    }
                }
            }
            if let (Some(id), Some(name)) = (record.text(0), record.text(1).or(record.text(0))) {
                actors.push((id.to_string(), name.to_string()));
            }
        }
        // A report named in `retracts` or `based_on`: the first with that id.
        let find = |id: &str| {
            if id.is_empty() {
                // Reports without an id (an error already) are found as "".
                set.reports.iter().position(|r| r.id.is_empty())
            } else {
                first_report.get(id).copied()
            }
        };
        let mut linked = Vec::with_capacity(links.len());
        let mut link_errors = vec![];
        for l in &links {
            link_errors.extend(check_links(&set.reports, l, &find));
            let index = l.report;
            let resolve = |list: &[Link]| -> Box<[usize]> { list.iter().filter_map(|(_, id)| find(id).filter(|&r| r != index)).collect() };
            linked.push((index, resolve(&l.retracts), resolve(&l.based_on)));
        }
        drop((first_report, ids, id_sets, artifacts, links));
        self.emit(found);
        self.set.actors.extend(actors);
        self.resolve_hierarchy();
        self.emit(tool_errors);
        self.emit(link_errors);
        // First occurrence wins, as with duplicate ids (reported above).
        let EvidenceSet { sources, reports, .. } = &mut self.set;
        let mut source_index: FastMap<&str, usize> = FastMap::default();
        for (i, s) in sources.iter().enumerate() {
            source_index.entry(s.id.as_str()).or_insert(i);
        }
        for (report, source) in reports.iter_mut().zip(&report_sources) {
            report.source = source.as_deref().and_then(|s| source_index.get(s)).copied().unwrap_or(usize::MAX);
        }
        for (index, retracts, based_on) in linked {
            reports[index].retracts = retracts;
            reports[index].based_on = based_on;
        }
        self.check_cycles();
    }
}

impl Loader<'_> {
    /// Reports that repeat one another in a circle (none of them is the
    /// original), or withdraw one another, are an error.
    fn check_cycles(&mut self) {
        let keys: [(&str, Relation); 2] = [("based_on", |r| &r.based_on), ("retracts", |r| &r.retracts)];
        for (key, next) in keys {
            for cycle in cycles(&self.set.reports, next) {
                let reports = &self.set.reports;
                let names: Vec<String> = cycle.iter().map(|&r| format!("`{}`", reports[r].id)).collect();
                let last = *cycle.last().unwrap_or(&0);
                self.file = reports[last].file;
                let path = format!("{}.{key}", reports[last].path());
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
}

/// A report that repeats or withdraws itself, or withdraws a report made
/// after it, is an error: a retraction can only follow what it withdraws.
fn check_links(reports: &[ReportRecord], links: &Links, find: &dyn Fn(&str) -> Option<usize>) -> Vec<Found> {
    let index = links.report;
    let mut found = vec![];
    let own = &reports[index].id;
    let file = reports[index].file;
    for (key, list) in [("based_on", &links.based_on), ("retracts", &links.retracts)] {
        for (path, id) in list {
            if find(id) == Some(index) {
                let what = if key == "retracts" { "withdraw" } else { "repeat" };
                found.push(Found {
                    file,
                    path: path.clone(),
                    message: format!("report `{own}` names itself in `{key}`"),
                    help: Some(format!("a report cannot {what} itself; name another report or remove `{id}`")),
                });
            }
        }
    }
    let date = reports[index].date;
    for (path, id) in &links.retracts {
        let Some(target) = find(id).filter(|&t| t != index) else { continue };
        let made = reports[target].date;
        // Date(0) stands for a missing or invalid date, already reported.
        if made > date && date != Date(0) {
            found.push(Found {
                file,
                path: path.clone(),
                message: format!("report `{own}` ({date}) withdraws `{id}`, which is dated later ({made})"),
                help: Some(format!(
                    "a retraction is made on or after the report it withdraws: check both dates, or date `{own}` {made} or later"
                )),
            });
        }
    }
    found
}

/// Runs of reports by where their records go among the other entities:
/// `anchors[r]` is how many were loaded before report `r`.
fn runs(anchors: &[usize]) -> Vec<(usize, std::ops::Range<usize>)> {
    let mut out: Vec<(usize, std::ops::Range<usize>)> = vec![];
    for (r, &anchor) in anchors.iter().enumerate() {
        match out.last_mut() {
            Some((a, range)) if *a == anchor && range.end == r => range.end = r + 1,
            _ => out.push((anchor, r..r + 1)),
        }
    }
    out
}

/// Cycles of a relation between reports (each report's successors), one per
/// back edge of a depth-first search, each listed from where it starts;
/// iterative, so long chains of reports cannot overflow the stack.
fn cycles(reports: &[ReportRecord], next: Relation) -> Vec<Vec<usize>> {
    let mut state = vec![0u8; reports.len()]; // 0 unseen, 1 on the path, 2 done
    let mut found = vec![];
    for start in 0..reports.len() {
        if state[start] != 0 {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut edge)) = path.last_mut() {
            match next(&reports[node]).get(*edge) {
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

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST: &str = "sources:\n  - {id: lab, kind: vendor, reliability: B}\nreports:\n  - id: r1\n    source: lab\n    date: 2020-01-02\n    credibility: 2\n    title: ''\n    asserts:\n      - geolocation: {artifact: ip-1, country: XA}\n  - id: r2\n    source: lab\n    date: 2020-01-03\n    credibility: 3.0\n    based_on: r1\n    asserts: []\nartifacts:\n  - {id: ip-1, kind: ip}\n";
    const SECOND: &str = r#"{"reports": [{"id": "r3", "source": "lab", "date": "2020-01-04", "credibility": 4, "title": "Third", "retracts": ["r1"], "asserts": [{"observed": {"artifact": "ip-1", "incident": "i1"}}]}],
 "incidents": [{"id": "i1", "date": "2020-01-01"}],
 "actors": [{"id": "a"}, {"id": "b"}],
 "questions": [{"id": "q", "incident": "i1", "hypotheses": ["a", "b"]}]}"#;

    fn load_texts(texts: &[&str]) -> (Sources, Result<EvidenceSet, Diagnostics>) {
        let mut sources = Sources::default();
        let files: Vec<SourceId> = texts.iter().enumerate().map(|(i, t)| sources.add(format!("f{i}.yaml"), t.to_string())).collect();
        let set = load(&files, &sources, &Schema::standard());
        (sources, set)
    }

    fn messages(d: &Diagnostics) -> Vec<String> {
        d.0.iter()
            .map(|d| {
                let path = match &*d.location {
                    Location::Path { path, .. } => path.as_str(),
                    _ => "",
                };
                format!("{path}: {} ({})", d.message, d.help.as_deref().unwrap_or(""))
            })
            .collect()
    }

    /// The record each report is read into, built the way every record is.
    fn report_records(sources: &Sources, files: &[SourceId], schema: &Schema) -> Vec<(TypeId, Vec<Option<Value>>, Loc, SourceId)> {
        let mut out = vec![];
        for &file in files {
            let mut loader = Loader::new(sources, schema);
            loader.file = file;
            let Ok(Tree::Map(sections)) = yaml::parse(sources.text(file)) else { panic!("not a mapping") };
            for (key, value) in sections {
                let Tree::Seq(items) = value else { continue };
                for (i, item) in items.into_iter().enumerate().filter(|_| key == "reports") {
                    let at = Loc::item(Section::Reports, i);
                    let (r, _) = loader.record("report", at, item, &["asserts", "retracts", "based_on"]).expect("a report");
                    out.push((r.ty, r.fields, r.at, r.file));
                }
            }
        }
        out
    }

    #[test]
    fn reports_records_are_made_as_loaded_in_file_order() {
        let schema = Schema::standard();
        let (sources, set) = load_texts(&[FIRST, SECOND]);
        let set = set.expect("loads");
        let report_ty = schema.lookup("report");
        let records: Vec<_> = set.entities().collect();
        let names: Vec<&str> = records.iter().map(|r| schema.get(r.ty).name.as_str()).collect();
        assert_eq!(
            names,
            ["source", "report", "report", "artifact", "report", "incident", "actor", "actor", "hypothesis", "hypothesis", "question"]
        );
        let made: Vec<_> = records.iter().filter(|r| Some(r.ty) == report_ty).map(|r| (r.ty, r.fields.clone(), r.at, r.file)).collect();
        assert_eq!(made, report_records(&sources, &set.files, &schema));
        // A title written empty is still written.
        assert_eq!(set.reports[0].title.as_deref(), Some(""));
        assert_eq!(set.reports[1].title, None);
        assert_eq!(set.reports[2].title(), "Third");
        assert_eq!((set.reports[1].based_on.as_ref(), set.reports[2].retracts.as_ref()), (&[0][..], &[0][..]));
        assert_eq!(set.reports.iter().map(|r| r.source).collect::<Vec<_>>(), [0, 0, 0]);
        let paths: Vec<String> = records.iter().map(|r| r.path(&schema)).collect();
        assert_eq!(&paths[..5], ["sources[0]", "reports[0]", "reports[1]", "artifacts[0]", "reports[0]"]);
        assert_eq!(set.reports[0].asserts[0].path(&schema), "reports[0].asserts[0].geolocation");
    }

    #[test]
    fn duplicate_and_unknown_report_ids_are_named_where_written() {
        let again =
            "reports:\n  - id: r1\n    source: lab\n    date: 2020-01-05\n    credibility: 2\n    retracts: [r9]\n    asserts: []\n";
        let (_, set) = load_texts(&[FIRST, again]);
        let d = set.expect_err("errors");
        assert_eq!(
            messages(&d),
            [
                "reports[0].id: duplicate report id `r1` (it is first used at f0.yaml (reports[0]); ids must be unique)",
                "reports[0].retracts[0]: no report has the id `r9` (did you mean `r1`?)",
            ]
        );
    }

    #[test]
    fn references_to_ids_loaded_later_or_never_are_checked_at_the_end() {
        // The source is declared after the report that cites it; the artifact never.
        let text = "reports:\n  - {id: r1, source: lab, date: 2020-01-02, credibility: 2, asserts: [{geolocation: {artifact: ip-9, country: XA}}]}\nsources:\n  - {id: lab, kind: vendor, reliability: B}\n";
        let (_, set) = load_texts(&[text]);
        assert_eq!(
            messages(&set.expect_err("errors")),
            ["reports[0].asserts[0].geolocation.artifact: no artifact has the id `ip-9` (declare it under `artifacts:` or fix the id)"]
        );
    }
}
