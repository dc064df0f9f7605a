//! `ascribe import`: other tools' formats → an evidence file (docs/stix.md).

use super::inputs;
use super::ErrorFormat;
use crate::diagnostics::{Location, Stage};
use crate::evidence::tree::Tree;
use crate::interop::stix::import::{Options, SourceGrade};
use crate::interop::{attack, document::Document, stix};
use crate::prelude::*;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand, Debug)]
enum What {
    /// A STIX 2.1 bundle: its actors, campaigns, observables and the relationships its reports state.
    Stix(StixArgs),
    /// MITRE ATT&CK's published STIX bundle: groups with dated, sourced profiles; campaigns as incidents.
    Attack(AttackArgs),
}

#[derive(clap::Args, Debug)]
struct StixArgs {
    /// The bundle (JSON).
    #[arg(value_name = "BUNDLE")]
    bundle: PathBuf,
    /// Where to write the evidence (`.json` writes JSON, anything else YAML); standard output by default.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// A YAML or JSON mapping from identity ids or names to a reliability letter (A-F), or to
    /// `{reliability, kind}`: how to grade the sources the bundle does not grade.
    #[arg(long, value_name = "FILE")]
    sources: Option<PathBuf>,
    /// Do not ask, for each incident, which of the bundle's actors is responsible.
    #[arg(long)]
    no_questions: bool,
    /// Largest bundle accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = inputs::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
}

#[derive(clap::Args, Debug)]
struct AttackArgs {
    /// The ATT&CK bundle (enterprise-attack.json or another domain's).
    #[arg(value_name = "BUNDLE")]
    bundle: PathBuf,
    /// Where to write the evidence (`.json` writes JSON, anything else YAML); standard output by default.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Where to write the ground truth: which group ATT&CK attributes each campaign to (YAML).
    #[arg(long, value_name = "FILE")]
    truth: Option<PathBuf>,
    /// Admiralty reliability of ATT&CK as a source [default: B].
    #[arg(long, value_parser = ["A", "B", "C", "D", "E", "F"])]
    reliability: Option<String>,
    /// Admiralty credibility of each ATT&CK statement (1-6).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=6))]
    credibility: u8,
    /// A YAML or JSON mapping from source names to a reliability letter (A-F), or to
    /// `{reliability, kind}`: ATT&CK itself (`mitre-attack`), and the sources ATT&CK cites
    /// (a citation's `source_name`), whose statements then become their own reports.
    #[arg(long, value_name = "FILE")]
    sources: Option<PathBuf>,
    /// Do not ask, for each campaign, which group is responsible.
    #[arg(long)]
    no_questions: bool,
    /// Largest bundle accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 30)]
    max_file_size: u64,
}

pub fn run(args: Args, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    match args.what {
        What::Stix(a) => run_stix(a, errors, out, err),
        What::Attack(a) => run_attack(a, errors, out, err),
    }
}

fn run_stix(args: StixArgs, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let mut sources = Sources::default();
    let mut options = Options { questions: !args.no_questions, ..Default::default() };
    if let Some(path) = &args.sources {
        match read_grades(path, &mut sources, args.max_file_size) {
            Ok(grades) => options.sources = grades,
            Err(d) => return inputs::report(&d, &sources, errors, err),
        }
    }
    let file = match inputs::read_source(&args.bundle, &mut sources, args.max_file_size) {
        Ok(f) => f,
        Err(d) => return inputs::report(&Diagnostics(vec![d]), &sources, errors, err),
    };
    let imported = match stix::import::import(sources.text(file), file, &options) {
        Ok(i) => i,
        Err(d) => return inputs::report(&d, &sources, errors, err),
    };
    if !imported.warnings.is_empty() {
        inputs::write_diagnostics(&imported.warnings, &sources, errors, err);
    }
    if errors == ErrorFormat::Human {
        let _ = writeln!(err, "{} object(s) mapped, {} not mapped", imported.mapped, imported.unmapped.len());
    }
    write_document(&imported.document, args.output.as_deref(), out, err)
}

fn run_attack(args: AttackArgs, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let mut sources = Sources::default();
    let mut options = attack::Options {
        reliability: args.reliability.clone().unwrap_or_else(|| "B".into()),
        credibility: args.credibility,
        questions: !args.no_questions,
        ..Default::default()
    };
    if let Some(path) = &args.sources {
        match read_grades(path, &mut sources, args.max_file_size) {
            Ok(grades) => options.sources = grades,
            Err(d) => return inputs::report(&d, &sources, errors, err),
        }
    }
    let file = match inputs::read_source(&args.bundle, &mut sources, args.max_file_size) {
        Ok(f) => f,
        Err(d) => return inputs::report(&Diagnostics(vec![d]), &sources, errors, err),
    };

    let imported = match attack::import(sources.text(file), file, &options) {
        Ok(i) => i,
        Err(d) => return inputs::report(&d, &sources, errors, err),
    };
    if let (Some(_), Some(key)) = (&args.reliability, &imported.counts.attack_graded_by) {
        let _ = writeln!(err, "error: --reliability and --sources (`{key}`) both grade ATT&CK: give one");
        return super::EXIT_USAGE;
    }
    let _ = writeln!(err, "{}", imported.summary());
    if let Some(path) = &args.truth {
        let text = match crate::evidence::yaml::write(&imported.truth) {
            Ok(t) => t,
            Err(e) => return write_failed(path, &e, err),
        };
        if let Err(e) = std::fs::write(path, text) {
            return write_failed(path, &e.to_string(), err);
        }
    }
    write_document(&imported.document, args.output.as_deref(), out, err)
}

fn write_failed(path: &Path, why: &str, err: &mut dyn std::io::Write) -> i32 {
    let _ = writeln!(err, "error: could not write {}: {why}", path.display());
    super::EXIT_INVALID
}

/// Writes the evidence as YAML, or as JSON when the file name ends in `.json`.
fn write_document(doc: &Document, output: Option<&Path>, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let json = output.and_then(|p| p.extension()).is_some_and(|x| x == "json");
    let text = if json {
        serde_json::to_string_pretty(doc).map(|t| t + "\n").map_err(|e| e.to_string())
    } else {
        crate::evidence::yaml::write(doc).map(|t| format!("# Written by `ascribe import`; see docs/stix.md.\n{t}"))
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "error: could not write the evidence: {e}");
            return super::EXIT_INVALID;
        }
    };
    match output {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => super::EXIT_OK,
            Err(e) => write_failed(path, &e.to_string(), err),
        },
        None => {
            let _ = out.write_all(text.as_bytes());
            super::EXIT_OK
        }
    }
}

/// The `--sources` mapping: identity id or name → grade (and kind).
fn read_grades(path: &Path, sources: &mut Sources, max: u64) -> Result<BTreeMap<String, SourceGrade>, Diagnostics> {
    let file = inputs::read_source(path, sources, max).map_err(|d| Diagnostics(vec![d]))?;
    let problem = |path: String, message: String| {
        Diagnostics(vec![Diagnostic::new(Stage::Evidence, message, Location::Path { source: file, path, span: None })
            .help("write one line per source: `identity--<uuid>: B` or `Example Lab: { reliability: B, kind: vendor }`")])
    };
    let tree = crate::evidence::yaml::parse(sources.text(file))
        .map_err(|e| problem(String::new(), format!("not valid YAML or JSON: {}", e.message)))?;
    let Tree::Map(entries) = tree else { return Err(problem(String::new(), "expected a mapping of sources to grades".into())) };
    let mut out = BTreeMap::new();
    for (key, value) in entries {
        let grade = match value {
            Tree::Str(letter) => SourceGrade { reliability: Some(letter.into_owned()), kind: None },
            Tree::Map(fields) => {
                let mut g = SourceGrade::default();
                for (k, v) in fields {
                    match (k.as_ref(), v) {
                        ("reliability", Tree::Str(s)) => g.reliability = Some(s.into_owned()),
                        ("kind", Tree::Str(s)) => g.kind = Some(s.into_owned()),
                        (other, _) => return Err(problem(format!("{key}.{other}"), format!("unknown or invalid field `{other}`"))),
                    }
                }
                g
            }
            other => return Err(problem(key.to_string(), format!("expected a grade letter or a mapping, found {}", other.describe()))),
        };
        if let Some(r) = &grade.reliability {
            if crate::scales::reliability_weight(r).is_none() {
                return Err(problem(format!("{key}.reliability"), format!("`{r}` is not an Admiralty reliability grade (A to F)")));
            }
        }
        if let Some(k) = &grade.kind {
            if let Some(why) = source_kind_refused(k) {
                return Err(problem(format!("{key}.kind"), why));
            }
        }
        out.insert(key.into_owned(), grade);
    }
    Ok(out)
}

fn source_kind_refused(kind: &str) -> Option<String> {
    let schema = Schema::standard();
    let spec = schema.get(schema.lookup("source")?);
    let field = &spec.fields[spec.field("kind")?];
    field.refuses(kind)
}
