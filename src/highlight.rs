//! JavaScript highlighting for the editor: a small tokenizer, enough to colour keywords,
//! strings, numbers and comments. The editor draws the result in a `<pre>` under a transparent
//! `<textarea>`, so the text must come back exactly: concatenating the tokens of every line,
//! joined by newlines, gives the source again (tested).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Plain,
    Keyword,
    /// `true`, `false`, `null`, `undefined`, `this`.
    Literal,
    String,
    Number,
    Comment,
}

impl Token {
    /// CSS class of the token's `<span>` (None for plain text).
    pub const fn class(self) -> Option<&'static str> {
        match self {
            Token::Plain => None,
            Token::Keyword => Some("tok-kw"),
            Token::Literal => Some("tok-lit"),
            Token::String => Some("tok-str"),
            Token::Number => Some("tok-num"),
            Token::Comment => Some("tok-com"),
        }
    }
}

const KEYWORDS: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "of",
    "return",
    "static",
    "switch",
    "throw",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "yield",
];
const LITERALS: &[&str] = &[
    "true",
    "false",
    "null",
    "undefined",
    "this",
    "NaN",
    "Infinity",
];

/// Tokens of `source` as (kind, text) runs, in order; plain runs are merged.
pub fn tokens<'a>(source: &'a str) -> Vec<(Token, &'a str)> {
    let bytes = source.as_bytes();
    let mut out: Vec<(Token, &'a str)> = Vec::new();
    let push = |kind: Token, from: usize, to: usize, out: &mut Vec<(Token, &'a str)>| {
        if from == to {
            return;
        }
        if kind == Token::Plain {
            if let Some((Token::Plain, prev)) = out.last_mut() {
                // Extend the previous plain run (they are adjacent slices of `source`).
                let start = prev.as_ptr() as usize - source.as_ptr() as usize;
                *prev = &source[start..to];
                return;
            }
        }
        out.push((kind, &source[from..to]));
    };
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            push(Token::Comment, start, i, &mut out);
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                i += 1;
            }
            i = (i + 2).min(bytes.len());
            push(Token::Comment, start, i, &mut out);
        } else if c == b'\'' || c == b'"' || c == b'`' {
            i += 1;
            while i < bytes.len() && bytes[i] != c {
                if bytes[i] == b'\\' {
                    i += 1;
                } else if bytes[i] == b'\n' && c != b'`' {
                    break;
                }
                i += 1;
            }
            i = (i + 1).min(bytes.len());
            push(Token::String, start, i, &mut out);
        } else if c.is_ascii_digit() {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.' || bytes[i] == b'_')
            {
                i += 1;
            }
            push(Token::Number, start, i, &mut out);
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'$')
            {
                i += 1;
            }
            let word = &source[start..i];
            // A property (`x.then`, `res.delete`) is never a keyword.
            let after_dot = start > 0 && bytes[start - 1] == b'.';
            let kind = if after_dot {
                Token::Plain
            } else if KEYWORDS.contains(&word) {
                Token::Keyword
            } else if LITERALS.contains(&word) {
                Token::Literal
            } else {
                Token::Plain
            };
            push(kind, start, i, &mut out);
        } else {
            // One character (UTF-8 aware).
            let len = source[i..].chars().next().map(char::len_utf8).unwrap_or(1);
            i += len;
            push(Token::Plain, start, i, &mut out);
        }
    }
    out
}

/// The tokens split into lines (a token spanning lines, like a block comment, is cut).
pub fn lines<'a>(source: &'a str) -> Vec<Vec<(Token, &'a str)>> {
    let mut lines: Vec<Vec<(Token, &'a str)>> = vec![Vec::new()];
    for (kind, text) in tokens(source) {
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            if !first.is_empty() {
                lines.last_mut().unwrap().push((kind, first));
            }
        }
        for part in parts {
            lines.push(Vec::new());
            if !part.is_empty() {
                lines.last_mut().unwrap().push((kind, part));
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Token, String)> {
        tokens(src)
            .into_iter()
            .filter(|(k, _)| *k != Token::Plain)
            .map(|(k, t)| (k, t.to_owned()))
            .collect()
    }

    #[test]
    fn keywords_strings_numbers_comments() {
        assert_eq!(
            kinds("const x = await f('a', 42); // done"),
            vec![
                (Token::Keyword, "const".into()),
                (Token::Keyword, "await".into()),
                (Token::String, "'a'".into()),
                (Token::Number, "42".into()),
                (Token::Comment, "// done".into()),
            ]
        );
    }

    #[test]
    fn properties_are_not_keywords_and_escapes_stay_in_strings() {
        assert_eq!(
            kinds("res.delete(x); p.then(null)"),
            vec![(Token::Literal, "null".into())]
        );
        assert_eq!(
            kinds(r#""a\"b" + `t ${x}`"#),
            vec![
                (Token::String, r#""a\"b""#.into()),
                (Token::String, "`t ${x}`".into())
            ]
        );
    }

    #[test]
    fn lines_give_the_source_back_exactly() {
        for p in crate::presets::PRESETS {
            let back: Vec<String> = lines(p.source)
                .iter()
                .map(|l| l.iter().map(|(_, t)| *t).collect())
                .collect();
            assert_eq!(back.join("\n"), p.source, "{}", p.key);
        }
        let odd = "/* a\nb */ x = `1\n2`;\n'unterminated\nnext é";
        let back: Vec<String> = lines(odd)
            .iter()
            .map(|l| l.iter().map(|(_, t)| *t).collect())
            .collect();
        assert_eq!(back.join("\n"), odd);
        assert_eq!(lines(odd).len(), 5);
        assert_eq!(lines(odd)[1][0], (Token::Comment, "b */"));
    }
}
