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

/// Flow collections (`[...]`, `{...}`) may nest this deep. The YAML library
/// takes time quadratic in the depth before it reaches its own recursion
/// limit, so the depth is checked on the raw text first.
pub const MAX_DEPTH: usize = 64;

/// A text value may be this long (bytes); a mapping key a quarter as long as an id.
pub const MAX_TEXT: usize = 64 * 1024;

/// A mapping key may be this long (bytes).
pub const MAX_KEY: usize = 256;

/// Writes a serialisable value as YAML (block style), as importers' output.
pub fn write<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// Parses YAML (and so JSON, which it contains) into a [`Tree`].
pub fn parse(text: &str) -> Result<Tree, YamlError> {
    check_depth(text)?;
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

/// Refuses flow collections nested deeper than [`MAX_DEPTH`], scanning the raw
/// text once: brackets count where a value may start (after `:`, `-`, `?`, at
/// the start of a line, or inside a flow collection), not inside quotes or
/// comments.
fn check_depth(text: &str) -> Result<(), YamlError> {
    let mut depth = 0usize;
    for (l, line) in text.lines().enumerate() {
        let mut prev = None; // the last character that was not a space on this line
        let mut quote: Option<char> = None;
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if let Some(q) = quote {
                if c == q {
                    if q == '\'' && chars.peek().map(|(_, n)| *n) == Some('\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                } else if c == '\\' && q == '"' {
                    chars.next();
                }
                continue;
            }
            let value_start = depth > 0 || matches!(prev, None | Some(':') | Some('-') | Some('?'));
            match c {
                '#' if i == 0 || line[..i].ends_with([' ', '\t']) => break,
                '"' | '\'' if matches!(prev, None | Some(':' | '-' | '?' | '[' | '{' | ',')) => quote = Some(c),
                '[' | '{' if value_start => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(YamlError {
                            message: format!("collections nested more than {MAX_DEPTH} deep"),
                            line: Some(l + 1),
                            column: Some(line[..i].chars().count() + 1),
                        });
                    }
                }
                ']' | '}' if depth > 0 => depth -= 1,
                _ => {}
            }
            if !c.is_whitespace() {
                prev = Some(c);
            }
        }
    }
    Ok(())
}

/// serde_yaml puts " at line L column C" after its message; that position is
/// reported separately, so it is cut. Any later context ("while parsing a flow
/// sequence at line 8 column 12") is kept: it points at the opening bracket.
fn strip_position(message: &str) -> String {
    let Some(i) = message.find(" at line ") else { return message.to_string() };
    let after = &message[i + " at line ".len()..];
    let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let mut cut = i + " at line ".len() + digits(after);
    if let Some(col) = message[cut..].strip_prefix(" column ") {
        cut += " column ".len() + digits(col);
    }
    format!("{}{}", &message[..i], &message[cut..])
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
        V::String(s) if s.len() > MAX_TEXT => {
            return Err(error(format!("{path}: a text of {} bytes, longer than the limit of {MAX_TEXT}", s.len())))
        }
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
                if key.len() > MAX_KEY {
                    return Err(error(format!("{path}: a key of {} bytes, longer than the limit of {MAX_KEY}", key.len())));
                }
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
    fn keeps_the_context_of_syntax_errors() {
        assert_eq!(
            strip_position("did not find expected ',' or ']' at line 3 column 2, while parsing a flow sequence at line 2 column 6"),
            "did not find expected ',' or ']', while parsing a flow sequence at line 2 column 6"
        );
        assert_eq!(strip_position("unknown anchor at line 1 column 4"), "unknown anchor");
        assert_eq!(strip_position("duplicate entry with key \"a\""), "duplicate entry with key \"a\"");
    }

    #[test]
    fn refuses_deep_nesting_before_parsing() {
        let deep = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        let e = parse(&deep).unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(4 + MAX_DEPTH)));
        assert!(parse(&format!("a: {}{}\n", "[".repeat(10), "]".repeat(10))).is_ok());
        // Brackets inside texts, quotes and comments do not count.
        let text = format!("a: x{}\nb: \"{}\"\n# {}\n", "[".repeat(100), "{".repeat(100), "[".repeat(100));
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.line.is_some());
    }
}
