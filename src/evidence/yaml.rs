//! The one module that touches the YAML library (serde_yaml) and the JSON
//! parser. Swapping to a maintained successor means rewriting this file only.
//!
//! Two ways in: [`parse`] builds the whole document (with the YAML path of
//! every refused value in its error), and [`stream`] hands a document's
//! top-level lists over item by item, never holding more than one item's
//! tree: the fast way for large inputs, which gives up at the first problem
//! so that the caller can take the slow way for the error.

use super::tree::Tree;
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

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
/// Only the command line (`ascribe import`) writes YAML.
#[cfg(feature = "cli")]
pub fn write<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// Parses YAML (and so JSON, which it contains) into a [`Tree`].
pub fn parse(text: &str) -> Result<Tree<'static>, YamlError> {
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

fn convert(value: serde_yaml::Value, path: &str) -> Result<Tree<'static>, YamlError> {
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
        V::String(s) => Tree::Str(Cow::Owned(s)),
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
                out.push((Cow::Owned(key), v));
            }
            Tree::Map(out)
        }
        V::Tagged(t) => return Err(error(format!("{path}: YAML tags such as `{}` are not supported", t.tag))),
    })
}

/// What [`stream`] hands over, in the order written.
pub trait Sink {
    /// The document, when it is not a mapping.
    fn document(&mut self, tree: Tree<'_>);
    /// A top-level key, before its value.
    fn section(&mut self, key: &str);
    /// One item of a top-level list: `key[index]`.
    fn item(&mut self, key: &str, index: usize, tree: Tree<'_>);
    /// The value of a top-level key that is not a list.
    fn value(&mut self, key: &str, tree: Tree<'_>);
}

/// The fast way in: JSON (a text starting with `{`) through serde_json, other
/// texts through the YAML library, each into [`Tree`]s one top-level item at
/// a time. `Err` at the first syntax error or refused value (a number out of
/// range, a text or key over its limit, a key that is not a string, a key
/// given twice, a tag, JSON nested deeper than [`MAX_DEPTH`]), after which
/// `sink` may have received part of the document: the caller undoes that and
/// calls [`parse`] for the error, with its position or YAML path. Gives what
/// [`parse`] gives on every document both accept.
pub fn stream(text: &str, sink: &mut dyn Sink) -> Result<(), GaveUp> {
    if reads_as_json(text) {
        // JSON brackets are its nesting, counted as it is read: in valid
        // JSON every bracket outside a string opens a value, as
        // `check_depth` counts them, so no scan of the text first.
        let mut de = serde_json::Deserializer::from_str(text);
        Top { sink, limit: MAX_DEPTH }.deserialize(&mut de).map_err(|_| GaveUp)?;
        return de.end().map_err(|_| GaveUp);
    }
    check_depth(text).map_err(|_| GaveUp)?;
    Top { sink, limit: usize::MAX }.deserialize(serde_yaml::Deserializer::from_str(text)).map_err(|_| GaveUp)
}

/// Whether [`stream`] reads a text as JSON (through serde_json): it starts with `{`.
pub fn reads_as_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// [`stream`] stopped at a problem: [`parse`] says which, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GaveUp;

/// A document: a mapping is handed over section by section. Collections may
/// nest `limit` deep (the document's own mapping counts one).
struct Top<'s> {
    sink: &'s mut dyn Sink,
    limit: usize,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// The visitor methods [`Top`] and [`Section`] share, written once: a scalar,
/// a null or an optional value is built into a [`Tree`] and handed over whole
/// through [`Deliver`], and a tag is refused.
macro_rules! deliver_whole {
    () => {
        deliver_whole! {
            visit_bool(v: bool);
            visit_i64(v: i64);
            visit_u64(v: u64);
            visit_f64(v: f64);
            visit_str(v: &str);
            visit_unit();
            visit_none();
        }

        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
            let tree = TreeVisitor::TOP.visit_borrowed_str::<E>(v)?;
            self.deliver(tree);
            Ok(())
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }

        fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<(), A::Error> {
            Err(de::Error::custom("a tag"))
        }
    };
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $method<E: de::Error>(self, $($arg: $ty),*) -> Result<(), E> {
            let tree = TreeVisitor::TOP.$method::<E>($($arg),*)?;
            self.deliver(tree);
            Ok(())
        })*
    };
}

trait Deliver {
    fn deliver(self, tree: Tree<'_>);
}

impl Deliver for Top<'_> {
    fn deliver(self, tree: Tree<'_>) {
        self.sink.document(tree)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an evidence document")
    }

    deliver_whole!();

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let tree = TreeVisitor { depth: 1, limit: self.limit }.visit_seq(seq)?;
        self.deliver(tree);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys = Keys::default();
        while let Some(key) = map.next_key::<Key>()? {
            keys.insert::<A::Error>(&key.0)?;
            self.sink.section(&key.0);
            map.next_value_seed(Section { sink: &mut *self.sink, key: &key.0, limit: self.limit })?;
        }
        Ok(())
    }
}

/// The value of one top-level key: a list is handed over item by item.
struct Section<'s> {
    sink: &'s mut dyn Sink,
    key: &'s str,
    limit: usize,
}

impl<'de> DeserializeSeed<'de> for Section<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Deliver for Section<'_> {
    fn deliver(self, tree: Tree<'_>) {
        self.sink.value(self.key, tree)
    }
}

impl<'de> Visitor<'de> for Section<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a section")
    }

    deliver_whole!();

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let tree = TreeVisitor { depth: 2, limit: self.limit }.visit_map(map)?;
        self.deliver(tree);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(tree) = seq.next_element_seed(TreeVisitor { depth: 3, limit: self.limit })? {
            self.sink.item(self.key, index, tree);
            index += 1;
        }
        Ok(())
    }
}

/// Builds a [`Tree`], refusing what [`convert`] refuses (without the path:
/// the caller takes the slow way for the error), and collections deeper
/// than `limit`. `depth` is the depth a collection read here has.
#[derive(Clone, Copy)]
struct TreeVisitor {
    depth: usize,
    limit: usize,
}

impl TreeVisitor {
    /// For scalars only, which have no depth.
    const TOP: TreeVisitor = TreeVisitor { depth: 1, limit: usize::MAX };

    fn nested<E: de::Error>(self) -> Result<TreeVisitor, E> {
        if self.depth > self.limit {
            return Err(E::custom("nested too deep"));
        }
        Ok(TreeVisitor { depth: self.depth + 1, limit: self.limit })
    }
}

impl<'de> DeserializeSeed<'de> for TreeVisitor {
    type Value = Tree<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tree<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree<'de>, E> {
        Ok(Tree::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree<'de>, E> {
        Ok(Tree::Num(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree<'de>, E> {
        Ok(Tree::Num(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree<'de>, E> {
        if v.is_finite() {
            Ok(Tree::Num(v))
        } else {
            Err(E::custom("a number out of range"))
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Tree<'de>, E> {
        if v.len() > MAX_TEXT {
            return Err(E::custom("a text over the limit"));
        }
        Ok(Tree::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree<'de>, E> {
        if v.len() > MAX_TEXT {
            return Err(E::custom("a text over the limit"));
        }
        Ok(Tree::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Tree<'de>, E> {
        if v.len() > MAX_TEXT {
            return Err(E::custom("a text over the limit"));
        }
        Ok(Tree::Str(Cow::Owned(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tree<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree<'de>, A::Error> {
        let inner = self.nested::<A::Error>()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Tree::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree<'de>, A::Error> {
        let inner = self.nested::<A::Error>()?;
        let mut entries: Vec<(Cow<'de, str>, Tree<'de>)> = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        let mut keys = Keys::default();
        while let Some(Key(key)) = map.next_key::<Key>()? {
            if entries.len() < SMALL {
                if entries.iter().any(|(k, _)| *k == key) {
                    return Err(de::Error::custom("a key given twice"));
                }
            } else {
                if entries.len() == SMALL {
                    for (k, _) in &entries {
                        keys.insert::<A::Error>(k)?;
                    }
                }
                keys.insert::<A::Error>(&key)?;
            }
            let value = map.next_value_seed(inner)?;
            entries.push((key, value));
        }
        Ok(Tree::Map(entries))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<Tree<'de>, A::Error> {
        Err(de::Error::custom("a tag"))
    }
}

/// Mappings up to this many keys are checked for a repeated key by scanning.
const SMALL: usize = 16;

/// The keys of a mapping so far, to refuse one given twice.
#[derive(Default)]
struct Keys(std::collections::HashSet<String>);

impl Keys {
    fn insert<E: de::Error>(&mut self, key: &str) -> Result<(), E> {
        if self.0.insert(key.to_owned()) {
            Ok(())
        } else {
            Err(E::custom("a key given twice"))
        }
    }
}

/// A mapping key: a string of at most [`MAX_KEY`] bytes (the slow way also
/// takes numbers and booleans, and writes them as text).
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key<'de>, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                if v.len() > MAX_KEY {
                    return Err(E::custom("a key over the limit"));
                }
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                if v.len() > MAX_KEY {
                    return Err(E::custom("a key over the limit"));
                }
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
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

    /// Collects what [`stream`] hands over as the document [`parse`] builds.
    #[derive(Default)]
    struct Rebuild {
        document: Option<Tree<'static>>,
        sections: Vec<(Cow<'static, str>, Tree<'static>)>,
    }

    impl Sink for Rebuild {
        fn document(&mut self, tree: Tree<'_>) {
            self.document = Some(tree.into_owned());
        }
        fn section(&mut self, key: &str) {
            self.sections.push((Cow::Owned(key.to_string()), Tree::Seq(vec![])));
        }
        fn item(&mut self, _: &str, index: usize, tree: Tree<'_>) {
            if let Some((_, Tree::Seq(items))) = self.sections.last_mut() {
                assert_eq!(items.len(), index);
                items.push(tree.into_owned());
            }
        }
        fn value(&mut self, _: &str, tree: Tree<'_>) {
            if let Some(last) = self.sections.last_mut() {
                last.1 = tree.into_owned();
            }
        }
    }

    fn streamed(text: &str) -> Result<Tree<'static>, GaveUp> {
        let mut sink = Rebuild::default();
        stream(text, &mut sink)?;
        Ok(sink.document.unwrap_or(Tree::Map(sink.sections)))
    }

    #[test]
    fn streams_what_it_parses() {
        for text in [
            "a: 1\nb: [x, {y: 2.5, z: [true, null]}]\nc: ~\nd: []\n",
            r#"{"a": 1, "b": ["x", {"y": 2.5, "z": [true, null]}], "c": null, "d": [], "e": "\u00e9\n"}"#,
            "- just\n- a list\n",
            "",
            "plain text",
            "a: &x [1, 2]\nb: *x\n",
            "a: -3\nb: 18446744073709551615\nc: 1e300\n",
        ] {
            assert_eq!(streamed(text), parse(text).map_err(|_| GaveUp), "{text:?}");
        }
    }

    #[test]
    fn gives_up_where_parse_refuses() {
        let long = format!("a: {}\n", "x".repeat(MAX_TEXT + 1));
        let key = format!("{}: 1\n", "k".repeat(MAX_KEY + 1));
        for text in [
            "a: .inf\n",
            "a: [1, 2\n",
            "a: 1\na: 2\n",
            "a: {b: 1, b: 2}\n",
            "a: !tag x\n",
            "1: x\n",
            "{\"a\": 1e999}",
            "{\"a\": 1, \"a\": 2}",
            "{\"a\": 1} trailing",
            long.as_str(),
            key.as_str(),
        ] {
            assert_eq!(streamed(text), Err(GaveUp), "{text:?}");
        }
        // YAML in flow style that starts like JSON: the JSON parser refuses
        // it, and the slow way reads it as YAML.
        assert_eq!(streamed("{a: 1, b: [x, y]}"), Err(GaveUp));
        assert!(parse("{a: 1, b: [x, y]}").is_ok());
        // A mapping of many keys repeats one after the first sixteen.
        let many: String = (0..40).map(|i| format!("k{}: 1, ", i % 30)).collect();
        assert_eq!(streamed(&format!("a: {{{many}}}\n")), Err(GaveUp));
    }

    /// JSON's nesting is counted as it is read, not scanned for first: the
    /// same documents are refused as [`check_depth`] refuses.
    #[test]
    fn json_nested_too_deep_is_refused_both_ways() {
        let nested = |depth: usize| format!("{{\"a\": {}1{}}}", "[".repeat(depth - 1), "]".repeat(depth - 1));
        let deepest = nested(MAX_DEPTH);
        assert!(parse(&deepest).is_ok());
        assert_eq!(streamed(&deepest), parse(&deepest).map_err(|_| GaveUp));
        let deeper = nested(MAX_DEPTH + 1);
        assert!(parse(&deeper).is_err());
        assert_eq!(streamed(&deeper), Err(GaveUp));
        // Brackets inside texts do not count.
        let text = format!("{{\"a\": \"{}\", \"b\": [{{\"c\": \"]]\"}}]}}", "[".repeat(100));
        assert_eq!(streamed(&text), parse(&text).map_err(|_| GaveUp));
        assert!(streamed(&text).is_ok());
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.line.is_some());
    }
}
