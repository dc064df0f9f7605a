//! Deterministic STIX ids: UUIDv5 of the content, so the same evidence and
//! assessment always export the same bundle.

use uuid::Uuid;

/// ascribe's namespace for the ids of the objects it writes (itself a UUIDv5 of
/// the name `ascribe` in the URL namespace).
pub fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://ascribe.invalid/stix")
}

/// The namespace STIX 2.1 fixes for cyber-observable ids (section 2.9).
pub const SCO_NAMESPACE: Uuid = Uuid::from_u128(0x00abedb4_aa42_466c_9c01_fed23315a9b7);

/// `type--uuid5(ascribe namespace, type + key)`.
pub fn sdo(ty: &str, key: &str) -> String {
    let name = format!("{ty}\u{1f}{key}");
    format!("{ty}--{}", Uuid::new_v5(&namespace(), name.as_bytes()))
}

/// A cyber-observable's id from its id-contributing properties, written as
/// canonical JSON (RFC 8785: sorted keys, no spaces), as STIX 2.1 specifies.
pub fn sco(ty: &str, contributing: &serde_json::Value) -> String {
    let canonical = canonical(contributing);
    format!("{ty}--{}", Uuid::new_v5(&SCO_NAMESPACE, canonical.as_bytes()))
}

/// JSON with object keys sorted and no whitespace (whatever order the map keeps).
fn canonical(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(&String, &serde_json::Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let inner: Vec<String> =
                entries.iter().map(|(k, v)| format!("{}:{}", serde_json::Value::from(k.as_str()), canonical(v))).collect();
            format!("{{{}}}", inner.join(","))
        }
        serde_json::Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sco_ids_follow_the_specification() {
        // The ids the reference implementation (python-stix2 3.0) gives.
        let id = sco("ipv4-addr", &serde_json::json!({ "value": "198.51.100.3" }));
        assert_eq!(id, "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
        let hash = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
        assert_eq!(sco("file", &serde_json::json!({ "hashes": { "SHA-256": hash } })), "file--f4768a70-ca3e-589a-919f-1ea4c7524ce3");
        assert_eq!(
            sco("domain-name", &serde_json::json!({ "value": "update.example" })),
            "domain-name--6ca8dc9a-1b15-5b86-8d08-ef4350b0dd1a"
        );
    }

    #[test]
    fn sdo_ids_are_version_5() {
        let id = sdo("campaign", "outage");
        let uuid = Uuid::parse_str(id.trim_start_matches("campaign--")).unwrap();
        assert_eq!(uuid.get_version_num(), 5);
        assert_eq!(id, sdo("campaign", "outage"));
    }
}
