//! The one module that touches the YAML library (serde_yaml). Swapping to a
//! maintained successor means rewriting this file only.

use super::tree::Tree;

/// A syntax error with its 1-based position, when the library knows it.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Parses YAML (and so JSON, which it contains) into a [`Tree`].
pub fn parse(text: &str) -> Result<Tree, YamlError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let location = e.location();
        YamlError {
            message: strip_position(&e.to_string()),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    })?;
    convert(value, "")
}

/// serde_yaml appends " at line L column C" to its messages; the position is
/// reported separately.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn convert(value: serde_yaml::Value, path: &str) -> Result<Tree, YamlError> {
    use serde_yaml::Value as V;
    let error = |message: String| YamlError { message, line: None, column: None };
    Ok(match value {
        V::Null => Tree::Null,
        V::Bool(b) => Tree::Bool(b),
        V::Number(n) => match n.as_f64() {
            Some(f) if f.is_finite() => Tree::Num(f),
            _ => return Err(error(format!("{path}: number {n} is out of range"))),
        },
        V::String(s) => Tree::Str(s),
        V::Sequence(items) => {
            Tree::Seq(items.into_iter().enumerate().map(|(i, v)| convert(v, &format!("{path}[{i}]"))).collect::<Result<_, _>>()?)
        }
        V::Mapping(map) => {
            let mut out = Vec::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    V::String(s) => s,
                    V::Number(n) => n.to_string(),
                    V::Bool(b) => b.to_string(),
                    other => return Err(error(format!("{path}: keys must be names, found {other:?}"))),
                };
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                let v = convert(v, &child)?;
                out.push((key, v));
            }
            Tree::Map(out)
        }
        V::Tagged(t) => return Err(error(format!("{path}: YAML tags such as `{}` are not supported", t.tag))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yaml_and_json_alike() {
        let y = parse("a: 1\nb: [x, y]\n").unwrap();
        let j = parse(r#"{"a": 1, "b": ["x", "y"]}"#).unwrap();
        assert_eq!(y, j);
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.line.is_some());
    }
}
