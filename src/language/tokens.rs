//! The tokens and comments of a rule file, for the formatter. The grammar
//! skips comments silently, so the formatter finds them here by position; the
//! tokens tell it where each piece of syntax really ends (a parse tree's span
//! may run on over the whitespace after it) and where the author wrote
//! parentheses. It only ever sees text the parser accepted.

/// What a token is, as far as layout cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A name, keyword, rule id (`infra.geoip`) or `_`.
    Word,
    /// `?name`.
    Var,
    Number,
    /// A string literal, quotes included; it may span lines.
    Str,
    /// Brackets, operators and separators.
    Punct,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// A `//` comment: from the slashes to the end of its line (newline excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
}

/// A rule file cut into tokens and comments, both in order.
pub struct Lexed<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    pub comments: Vec<Comment>,
}

impl<'a> Lexed<'a> {
    pub fn new(text: &'a str) -> Lexed<'a> {
        let bytes = text.as_bytes();
        let mut tokens = vec![];
        let mut comments = vec![];
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            let start = i;
            let kind = match c {
                b' ' | b'\t' | b'\r' | b'\n' => {
                    i += 1;
                    continue;
                }
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                    comments.push(Comment { start, end: i });
                    continue;
                }
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i = (i + 1).min(bytes.len());
                    Kind::Str
                }
                b'?' => {
                    i += 1;
                    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                        i += 1;
                    }
                    Kind::Var
                }
                b'0'..=b'9' => {
                    i = number_end(bytes, i);
                    Kind::Number
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    i = word_end(bytes, i);
                    // A rule id: `infra.geoip`.
                    while bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
                        i = word_end(bytes, i + 1);
                    }
                    Kind::Word
                }
                b'>' | b'<' | b'!' | b'=' if bytes.get(i + 1) == Some(&b'=') => {
                    i += 2;
                    Kind::Punct
                }
                _ => {
                    // One character, whole (the parser accepted it, so it is ASCII
                    // punctuation; stay on a char boundary all the same).
                    i += text[i..].chars().next().map(char::len_utf8).unwrap_or(1);
                    Kind::Punct
                }
            };
            tokens.push(Token { kind, start, end: i.min(bytes.len()) });
        }
        Lexed { text, tokens, comments }
    }

    pub fn str(&self, token: Token) -> &'a str {
        self.text.get(token.start..token.end).unwrap_or("")
    }

    /// The index of the first token that starts at or after `offset`.
    pub fn first_from(&self, offset: usize) -> usize {
        self.tokens.partition_point(|t| t.start < offset)
    }

    /// The last token that ends at or before `offset`.
    pub fn last_before(&self, offset: usize) -> Option<Token> {
        let n = self.tokens.partition_point(|t| t.end <= offset);
        n.checked_sub(1).map(|i| self.tokens[i])
    }

    /// The first token that starts at or after `offset`.
    pub fn next_from(&self, offset: usize) -> Option<Token> {
        self.tokens.get(self.first_from(offset)).copied()
    }

    /// Where the syntax that a span covers really ends: the end of its last
    /// token, without the whitespace and comments a parse tree's span may
    /// include after it.
    pub fn exact_end(&self, start: usize, end: usize) -> usize {
        self.last_before(end).map(|t| t.end).filter(|&e| e > start).unwrap_or(end)
    }

    /// The index of the token that starts at `offset`.
    pub fn index_at(&self, offset: usize) -> Option<usize> {
        let i = self.first_from(offset);
        self.tokens.get(i).filter(|t| t.start == offset).map(|_| i)
    }

    /// The index of the bracket that closes the one at token `open`.
    pub fn matching(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (i, t) in self.tokens.iter().enumerate().skip(open) {
            match self.str(*t) {
                "{" | "(" | "[" => depth += 1,
                "}" | ")" | "]" => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        None
    }
}

fn word_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-') {
        i += 1;
    }
    i
}

/// `12`, `0.5`, `3e-2`, as the grammar's `number`.
fn number_end(bytes: &[u8], mut i: usize) -> usize {
    let digits = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    i = digits(i);
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i = digits(i + 1);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(i + 1), Some(b'+' | b'-')));
        if bytes.get(i + 1 + sign).is_some_and(u8::is_ascii_digit) {
            i = digits(i + 1 + sign);
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let lexed = Lexed::new(text);
        lexed.tokens.iter().map(|t| lexed.str(*t)).collect()
    }

    #[test]
    fn cuts_rule_text_as_the_grammar_does() {
        assert_eq!(
            words(r#"rule a.b { when { ?n-1 >= 2.5e-3 x in ["a\"b"] } } // c"#),
            ["rule", "a.b", "{", "when", "{", "?n", "-", "1", ">=", "2.5e-3", "x", "in", "[", "\"a\\\"b\"", "]", "}", "}"]
        );
        assert_eq!(Lexed::new("a // one\n// two\nb").comments.len(), 2);
        assert_eq!(words("\"// not a comment\""), ["\"// not a comment\""]);
    }

    #[test]
    fn finds_where_syntax_ends() {
        let lexed = Lexed::new("lr 1 + 2  // note\n}");
        assert_eq!(lexed.exact_end(3, 17), 8);
    }
}
