//! Comments and indentation out of Node's JavaScript layer, at build time.
//!
//! WHY: the layer's files (`js/`) open with essays and explain themselves line by line, which is
//! how they should read in the repository; in the page they are weight (about a fifth of the
//! layer, gzipped) and time (boa parses every byte when an engine starts). `build.rs` runs
//! [`strip`] over each file and `prelude.rs` includes the result.
//!
//! HOW: one pass over the characters with a small lexer that knows where comments can be: not
//! inside a string, a template literal (its `${ }` holes are code again, to any depth) or a
//! regular expression literal (a `/` starts one where an expression can start: after an
//! operator, an opening bracket, a comma, a keyword such as `return`, or at the start). Outside
//! those: `//` and `/* */` comments go (a block comment that spanned lines leaves a line break,
//! so automatic semicolon insertion sees what it saw before), runs of blank lines become one line
//! break, each line's indentation goes, and so does any other white space except where two
//! tokens would merge (`return x`, `a + +b`, a regex's flags before a word). Nothing inside a string, template or regex changes.
//! Line numbers inside the layer change; nothing reports them (the layer's frames are shown as
//! Node's own, `internal/errors.js`).

/// `source` without its comments, blank lines and indentation (see the module's essay).
pub fn strip(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    // Brace depth inside each open template hole (`${`), innermost last.
    let mut holes: Vec<usize> = Vec::new();
    // The last significant character emitted as code, and the word it ended (for keywords).
    let mut prev: Option<char> = None;
    let mut word = String::new();
    let mut at_line_start = true;
    // White space seen in code, written only where two tokens would otherwise merge.
    let mut space = false;
    // The last thing written was a regular expression literal (its flags are letters).
    let mut after_regex = false;
    let mut i = 0;
    let word_char = |c: char| c.is_alphanumeric() || c == '_' || c == '$';

    let regex_may_start = |prev: Option<char>, word: &str| match prev {
        None => true,
        Some(c) if "(,=:[!&|?{};+-*%<>~^".contains(c) => true,
        Some(c) if c.is_alphanumeric() || c == '_' || c == '$' => matches!(
            word,
            "return"
                | "typeof"
                | "case"
                | "do"
                | "else"
                | "in"
                | "of"
                | "new"
                | "delete"
                | "void"
                | "throw"
                | "instanceof"
                | "yield"
                | "await"
        ),
        Some(_) => false,
    };

    fn newline(out: &mut String) {
        while out.ends_with(' ') || out.ends_with('\t') {
            out.pop();
        }
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    }

    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if at_line_start && (c == ' ' || c == '\t') {
            i += 1;
            continue;
        }
        at_line_start = false;
        let comment = c == '/' && matches!(next, Some('/') | Some('*'));
        if space && !matches!(c, ' ' | '\t' | '\n' | '\r') && !comment {
            space = false;
            let merge = out.chars().last().is_some_and(|p| {
                (word_char(p) && word_char(c))
                    || (p == c && matches!(c, '+' | '-'))
                    || (after_regex && word_char(c))
            });
            if merge {
                out.push(' ');
            }
        }
        if !matches!(c, ' ' | '\t') && !comment {
            after_regex = false;
        }
        match c {
            '\n' | '\r' => {
                newline(&mut out);
                at_line_start = true;
                space = false;
                i += 1;
            }
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                let mut spanned = false;
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    spanned |= chars[i] == '\n';
                    i += 1;
                }
                i += 2;
                if spanned {
                    newline(&mut out);
                    at_line_start = true;
                    space = false;
                } else {
                    space = true;
                }
            }
            '\'' | '"' => {
                out.push(c);
                i += 1;
                while i < chars.len() && chars[i] != c {
                    if chars[i] == '\\' {
                        out.push(chars[i]);
                        i += 1;
                    }
                    if let Some(&ch) = chars.get(i) {
                        out.push(ch);
                    }
                    i += 1;
                }
                out.push(c);
                i += 1;
                prev = Some(c);
                word.clear();
            }
            '`' => {
                i = template(&chars, i, &mut out, &mut holes);
                prev = Some('`');
                word.clear();
            }
            '/' if regex_may_start(prev, &word) => {
                out.push('/');
                i += 1;
                let mut class = false;
                while i < chars.len() {
                    let ch = chars[i];
                    out.push(ch);
                    i += 1;
                    match ch {
                        '\\' => {
                            if let Some(&esc) = chars.get(i) {
                                out.push(esc);
                                i += 1;
                            }
                        }
                        '[' => class = true,
                        ']' => class = false,
                        '/' if !class => break,
                        _ => {}
                    }
                }
                word.clear();
                // Flags are letters: the word they make is no keyword.
                while i < chars.len() && chars[i].is_alphabetic() {
                    out.push(chars[i]);
                    i += 1;
                }
                prev = Some(')');
                after_regex = true;
            }
            '{' => {
                if let Some(depth) = holes.last_mut() {
                    *depth += 1;
                }
                out.push(c);
                prev = Some(c);
                word.clear();
                i += 1;
            }
            '}' if holes.last() == Some(&0) => {
                // The end of a template hole: the template goes on.
                holes.pop();
                out.push('}');
                i = template_rest(&chars, i + 1, &mut out, &mut holes);
                prev = Some('`');
                word.clear();
            }
            '}' => {
                if let Some(depth) = holes.last_mut() {
                    *depth -= 1;
                }
                out.push(c);
                prev = Some(c);
                word.clear();
                i += 1;
            }
            ' ' | '\t' => {
                space = true;
                i += 1;
            }
            _ => {
                if c.is_alphanumeric() || c == '_' || c == '$' {
                    if !prev.is_some_and(|p| p.is_alphanumeric() || p == '_' || p == '$') {
                        word.clear();
                    }
                    word.push(c);
                } else {
                    word.clear();
                }
                out.push(c);
                prev = Some(c);
                i += 1;
            }
        }
    }
    newline(&mut out);
    out
}

/// A template literal from its opening backtick at `i`: copied as it is up to its end or its
/// first hole. Returns where the code goes on.
fn template(chars: &[char], i: usize, out: &mut String, holes: &mut Vec<usize>) -> usize {
    out.push('`');
    template_rest(chars, i + 1, out, holes)
}

/// The rest of a template literal from `i` (inside its text): copied up to the closing
/// backtick, or up to a `${`, which opens a hole of code (pushed on `holes`).
fn template_rest(chars: &[char], mut i: usize, out: &mut String, holes: &mut Vec<usize>) -> usize {
    while i < chars.len() {
        let ch = chars[i];
        match ch {
            '\\' => {
                out.push(ch);
                if let Some(&esc) = chars.get(i + 1) {
                    out.push(esc);
                }
                i += 2;
            }
            '`' => {
                out.push('`');
                return i + 1;
            }
            '$' if chars.get(i + 1) == Some(&'{') => {
                out.push_str("${");
                holes.push(0);
                return i + 2;
            }
            _ => {
                out.push(ch);
                i += 1;
            }
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::strip;

    #[test]
    fn comments_and_indentation_go_and_nothing_in_a_literal_changes() {
        let src = "/* An essay\n * over lines.\n */\n\n\
                   function f(a) {\n    // a comment\n    const s = '// not a comment', t = \"/* nor */\";\n\
                   \x20   const r = /\\/\\/[/*]+/g; // a regex with slashes\n\
                   \x20   const d = a / 2 / 3; /* inline */ const e = 1;\n\
                   \x20   const u = `line one\n        // kept, it is text\n    ${a /* gone */ + `${'}'}`} end`;\n\
                   \x20   return /x/.test(s) ? r : d;\n}\n";
        let want = "function f(a){\n\
                    const s='// not a comment',t=\"/* nor */\";\n\
                    const r=/\\/\\/[/*]+/g;\n\
                    const d=a/2/3;const e=1;\n\
                    const u=`line one\n        // kept, it is text\n    ${a+`${'}'}`} end`;\n\
                    return/x/.test(s)?r:d;\n}\n";
        assert_eq!(strip(src), want);
    }

    #[test]
    fn a_block_comment_across_lines_still_ends_the_line() {
        // `a` then `b()` on the next line: automatic semicolon insertion needs the line break.
        assert_eq!(strip("let x = a /*\n*/\nb()\n"), "let x=a\nb()\n");
        assert_eq!(strip("x = 1 // end\ny = 2"), "x=1\ny=2\n");
    }

    #[test]
    fn white_space_stays_where_tokens_would_merge() {
        assert_eq!(
            strip("return typeof a + +b - -c in d; x = /re/g instanceof RegExp;"),
            "return typeof a+ +b- -c in d;x=/re/g instanceof RegExp;\n"
        );
        assert_eq!(
            strip("a++ + b; const f = async () => { await  x; };"),
            "a++ +b;const f=async()=>{await x;};\n"
        );
    }
}
