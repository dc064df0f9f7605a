//! STIX 2.1: reading bundles as evidence ([`import`]), writing an assessment
//! as a bundle ([`export`]). The mapping is documented in docs/stix.md.

pub mod confidence;
pub mod export;
pub mod ids;
pub mod import;
pub mod model;
pub mod parse;

/// Whether a text is a STIX bundle: a JSON object whose `type` is `bundle`.
/// Read by content, not by file name, so a `.json` evidence file keeps working.
pub fn is_bundle(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if !t.starts_with('{') {
        return false;
    }
    #[derive(serde::Deserialize)]
    struct Probe<'a> {
        #[serde(rename = "type", borrow)]
        ty: Option<std::borrow::Cow<'a, str>>,
    }
    // Only the top-level `type` is read; every other key is skipped.
    match serde_json::from_str::<Probe>(t) {
        Ok(p) => p.ty.as_deref() == Some("bundle"),
        Err(_) => {
            // A malformed bundle is still a bundle when it says so early on: the
            // STIX parser then names the error rather than the YAML one.
            let head: String = t.chars().take(4096).filter(|c| !c.is_whitespace()).collect();
            head.contains("\"type\":\"bundle\"")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_bundle;

    #[test]
    fn detects_bundles_by_content() {
        assert!(is_bundle(r#"{"type": "bundle", "id": "bundle--1", "objects": []}"#));
        assert!(is_bundle("{\n  \"id\": \"bundle--1\",\n  \"type\": \"bundle\",\n  \"objects\": [ {\"type\": 3 ]\n}"));
        assert!(!is_bundle(r#"{"sources": [], "type": "evidence"}"#));
        assert!(!is_bundle("sources:\n  - id: lab\n"));
        assert!(!is_bundle(r#"{"objects": [{"type": "bundle"}]}"#));
    }
}
