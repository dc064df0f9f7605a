//! The HTML report in a real browser: headless Chromium loads each bundled
//! example's report from file, and the rendered DOM must hold the posterior
//! rows of every question and the ACH matrix; a screenshot of each is written
//! to target/browser/ for review. Skipped, with a message, only when no
//! Chromium is installed and this is not CI (`CI=true` makes it required;
//! .ci/run installs the Debian package `chromium`).

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Chromium: `ASCRIBE_CHROMIUM` if set, else the first of the usual names on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ASCRIBE_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs Chromium headless on a page with extra arguments; its stdout. Killed
/// after two minutes so a hung browser fails the test instead of the run.
fn headless(browser: &Path, page: &Path, args: &[String]) -> String {
    // A profile of its own per run: Chromium hands a page to a running instance
    // that shares its profile and prints nothing (tests run in parallel).
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let profile = std::env::temp_dir().join(format!("ascribe-chromium-{}-{run}", std::process::id()));
    let mut child = std::process::Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
        text
    });
    let started = Instant::now();
    loop {
        if child.try_wait().expect("waits").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish on {} within two minutes", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = std::fs::remove_dir_all(&profile);
    reader.join().expect("reads")
}

fn ascribe(args: &[String]) -> String {
    let output = Command::cargo_bin("ascribe").expect("binary").current_dir(ROOT).args(args).output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "ascribe {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The text of an HTML fragment as the DOM serialises it (`&amp;` for `&` ...).
fn serialised(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\u{a0}', "&nbsp;")
}

#[test]
fn every_example_report_renders_in_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CI").map(|v| v != "true").unwrap_or(true),
            "CI=true but Chromium was not found: .ci/run installs the Debian package `chromium` (or set ASCRIBE_CHROMIUM)"
        );
        eprintln!("SKIPPED: no Chromium found (install the Debian package `chromium`, or set ASCRIBE_CHROMIUM); the HTML report was not checked in a browser");
        return;
    };
    let out = Path::new(ROOT).join("target/browser");
    std::fs::create_dir_all(&out).expect("target/browser");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("examples"))
        .expect("examples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("evidence.yaml").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 5);
    let mut ties_seen = 0;
    for dir in dirs {
        let name = dir.file_name().and_then(|n| n.to_str()).expect("name").to_string();
        let evidence = format!("examples/{name}/evidence.yaml");
        let mut inputs = vec![];
        if let Some(rules) = common::example_rules(&evidence) {
            inputs.extend(["--rules".to_string(), rules]);
        }
        inputs.push(evidence.clone());
        let html = ascribe(&[vec!["report".to_string(), "--format".into(), "html".into()], inputs.clone()].concat());
        let page = out.join(format!("{name}.html"));
        std::fs::write(&page, &html).expect("written");
        let assessment: Value =
            serde_json::from_str(&ascribe(&[vec!["eval".to_string(), "--format".into(), "json".into()], inputs].concat())).expect("JSON");

        let dom = headless(&browser, &page, &["--dump-dom".to_string()]);
        assert!(dom.contains("<h1>Attribution assessment"), "{name}: the page did not render:\n{dom:.500}");
        let questions = assessment["questions"].as_array().expect("questions");
        assert_eq!(dom.matches("<table class=\"posterior\">").count(), questions.len(), "{name}: one posterior table per question");
        assert_eq!(dom.matches("<table class=\"ach\">").count(), questions.len(), "{name}: one ACH matrix per question");
        let rows = questions.iter().map(|q| q["hypotheses"].as_array().map_or(0, Vec::len)).sum::<usize>();
        assert_eq!(dom.matches("<tr class=\"hypothesis").count(), rows, "{name}: one posterior row per hypothesis");
        assert!(dom.matches("<tr class=\"ach-row\">").count() >= questions.len(), "{name}: the matrix has rows");
        for q in questions {
            for h in q["hypotheses"].as_array().expect("hypotheses") {
                let name_shown = serialised(h["name"].as_str().expect("name"));
                assert!(dom.contains(&name_shown), "{name}: {name_shown} is not in the rendered page");
            }
        }
        for part in ["<svg class=\"waterfall\"", "<svg class=\"timeline\"", "<svg class=\"graph\"", "<table class=\"sensitivity\">"] {
            assert!(dom.contains(part), "{name}: {part} missing");
        }
        // Tied lines of the timeline are told apart: dashed, and named in a note.
        let lines = dom.matches("<polyline ").count();
        let dashed_lines = dom
            .match_indices("<polyline ")
            .filter(|(i, _)| dom[*i..].split('>').next().is_some_and(|t| t.contains("stroke-dasharray")))
            .count();
        let tie_notes = dom.matches("<p class=\"note tied\">").count();
        assert!(lines > 0, "{name}: no timeline line drawn");
        assert_eq!(dashed_lines > 0, tie_notes > 0, "{name}: {dashed_lines} dashed lines but {tie_notes} notes on ties");
        ties_seen += tie_notes;
        assert!(!dom.contains("<script"), "{name}: a script element");
        // Self-contained: nothing to fetch, links only within the page.
        assert!(!html.contains(" src=") && !html.contains("url(") && !html.contains("@import"), "{name}: an external resource");
        assert!(html.match_indices("href=\"").all(|(i, _)| html[i + 6..].starts_with('#')), "{name}: a link out of the page");

        let shot = out.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&shot);
        headless(&browser, &page, &[format!("--screenshot={}", shot.display()), "--window-size=1200,2400".to_string()]);
        let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "{name}: no screenshot written to {}", shot.display());
    }
    assert!(ties_seen > 0, "no example has tied lines on its timeline: the tie drawing went unchecked");
}

/// Hostile names reach the browser as text: no element, attribute or
/// reordering comes from the evidence (escaping is in src/report/escape.rs).
#[test]
fn hostile_names_stay_text_in_chromium() {
    let Some(browser) = chromium() else {
        assert!(std::env::var("CI").map(|v| v != "true").unwrap_or(true), "CI=true but Chromium was not found");
        eprintln!("SKIPPED: no Chromium found; hostile names were not checked in a browser");
        return;
    };
    let hostile = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>\"' \u{202e}gnp.exe\nforged | `x`";
    let evidence = serde_json::json!({
        "sources": [{ "id": "lab", "name": hostile, "kind": "vendor", "reliability": "B" }],
        "actors": [
            { "id": "alpha", "name": hostile, "country": "XA" },
            { "id": "beta", "name": "Actor Beta", "country": "XB" }
        ],
        "incidents": [{ "id": "outage", "name": hostile, "date": "2031-05-01" }],
        "questions": [{ "id": "who-outage", "incident": "outage", "text": hostile, "hypotheses": ["alpha", "beta"] }],
        "reports": [{
            "id": "lab-note", "source": "lab", "date": "2031-05-03", "credibility": 2, "title": hostile,
            "asserts": [{ "attribution": { "incident": "outage", "actor": "alpha" } }]
        }]
    });
    let out = Path::new(ROOT).join("target/browser");
    std::fs::create_dir_all(&out).expect("target/browser");
    let file = out.join("hostile.json");
    std::fs::write(&file, evidence.to_string()).expect("written");
    let html = ascribe(&["report".to_string(), file.display().to_string()]);
    let page = out.join("hostile.html");
    std::fs::write(&page, &html).expect("written");
    let dom = headless(&browser, &page, &["--dump-dom".to_string()]);
    assert!(dom.contains("<table class=\"posterior\">"), "the page did not render:\n{dom:.500}");
    assert!(!dom.contains("<script") && !dom.contains("<img"), "an element came from the evidence");
    assert!(
        !dom.contains("pwned") || dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
        "the payload is not shown as text"
    );
    assert!(
        dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "the payload is shown as written"
    );
    assert!(dom.contains("\\u{202e}gnp.exe\\nforged"), "the bidi override and line break are shown, not applied");
    assert!(!dom.contains('\u{202e}'));
    assert!(dom.contains("<title>Attribution assessment</title>"), "the page title is the report's own");
}
