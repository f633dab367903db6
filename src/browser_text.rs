//! The browser's own text machinery for the engine in WebAssembly: `String.prototype.normalize`
//! and regular expressions.
//!
//! WHY: boa's normalization tables (`icu_normalizer`) and its regular expression engine
//! (`regress`, with its Unicode tables for property escapes and case folding) are about 160 KB
//! of the page's gzipped WebAssembly, and the browser that runs the page has both already. Its
//! regular expressions are V8's in Chromium, the engine Node runs, so a program's patterns
//! behave and fail as they do in Node, messages included ("Invalid regular expression:
//! /(/: Unterminated group"). The dialect is the visitor's browser's: a newer V8 than Node 20's
//! accepts a little more (duplicate named groups in alternatives, `(?i:)` modifiers), and
//! Firefox and Safari word their messages their own way. Natively (the CLI, the tests) boa's
//! own regress runs; the conformance cases run both ways (`tests/engine_wasm.rs`). See
//! vendor/boa_engine/LOOPLAB.md, changes 10 and 11, and vendor/boa_parser/LOOPLAB.md.
//!
//! HOW: [`install`] gives the engine plain functions (`looplab_engine::set_normalizer`,
//! `set_regexp_host`). A pattern is compiled once per source and flags into a browser `RegExp`
//! with the `d` (indices) and `g` flags, shared by every boa `RegExp` with that source (boa keeps
//! `lastIndex` itself; the browser object is set to the index before each match), and freed
//! with the last one. A match reads the start and end of the match and of each group from the
//! result's `indices`. The input of the last match stays a browser string: a global `replace`
//! over a long text matches many times in the same string, and the engine says when it is the
//! same one. A sticky pattern keeps its `y` in the browser, so that it tries one place (every
//! `split` makes one). What the browser throws while matching (V8's backtracking stack
//! overflows, a `RangeError` as in Node) reaches the program. Everything goes through `js_sys`
//! calls, with no JavaScript made from text (`new Function`): a Content Security Policy that
//! allows WebAssembly (`'wasm-unsafe-eval'`) but not `eval` does not break it.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, Function, JsString, Reflect, RegExp};
use looplab_engine::RegExpHost;
use wasm_bindgen::{JsCast, JsValue};

/// Gives the engine the browser's `normalize` and regular expressions. Every engine the page
/// makes is made after this ran.
pub fn install() {
    looplab_engine::set_normalizer(|form, s| string(s).normalize(form).iter().collect());
    looplab_engine::set_regexp_host(RegExpHost {
        compile,
        exec,
        free,
    });
}

/// One compiled pattern: the browser's object, its named groups, and how many boa `RegExp`s
/// use it.
struct Compiled {
    regexp: RegExp,
    names: Vec<String>,
    /// The same names as browser strings, to read a match's groups by.
    names_js: Vec<JsValue>,
    users: usize,
    key: (Vec<u16>, String),
}

struct Browser {
    /// The browser's `RegExp` constructor, looked up once.
    constructor: Function,
    /// `RegExp.prototype.exec`, called on a browser string as it is (`js_sys`'s takes a Rust
    /// `&str`, which would copy the text each time and lose lone surrogates).
    exec: Function,
    /// The property names a match is read by, made once.
    indices: JsValue,
    groups: JsValue,
    compiled: Vec<Option<Compiled>>,
    free_ids: Vec<u32>,
    by_key: HashMap<(Vec<u16>, String), u32>,
    /// The input of the last match.
    input: JsString,
}

thread_local! {
    static BROWSER: RefCell<Browser> = RefCell::new(Browser {
        constructor: js_sys::global()
            .dyn_into::<js_sys::Object>()
            .ok()
            .and_then(|g| Reflect::get(&g, &"RegExp".into()).ok())
            .and_then(|c| c.dyn_into().ok())
            .expect("a browser has RegExp"),
        exec: Reflect::get(&RegExp::new("", "").into(), &"exec".into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .expect("a browser's RegExp has exec"),
        indices: JsValue::from_str("indices"),
        groups: JsValue::from_str("groups"),
        compiled: Vec::new(),
        free_ids: Vec::new(),
        by_key: HashMap::new(),
        input: JsString::from(""),
    });
}

/// UTF-16 code units as a browser string, lone surrogates kept (`String.fromCharCode` takes
/// its code units as arguments, so a long text goes in slices).
fn string(units: &[u16]) -> JsString {
    let mut chunks = units.chunks(8192);
    let first = chunks
        .next()
        .map_or_else(|| JsString::from(""), JsString::from_char_code);
    chunks.fold(first, |s, c| s.concat(&JsString::from_char_code(c)))
}

/// The start and end of `range` (`[start, end]` or `undefined`) into `out`, -1 for a group that
/// took no part.
fn push_range(range: &JsValue, out: &mut Vec<i32>) {
    let at = |i: u32| {
        range
            .dyn_ref::<Array>()
            .and_then(|r| r.get(i).as_f64())
            .map_or(-1, |x| x as i32)
    };
    out.push(at(0));
    out.push(at(1));
}

/// The message of what the browser threw.
fn message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "Invalid regular expression".to_owned())
}

impl Browser {
    fn construct(&self, source: &JsString, flags: &str) -> Result<RegExp, JsValue> {
        let args = Array::of2(source, &JsValue::from_str(flags));
        Reflect::construct(&self.constructor, &args).map(|r| r.unchecked_into())
    }

    /// The names of a pattern's named groups, in its order: the pattern with an empty
    /// alternative matches the empty string, and the match's `groups` has every name. A
    /// pattern without `(?<` followed by a name has none, and is not compiled again to say so.
    fn group_names(&self, pattern: &[u16], source: &JsString, flags: &str) -> Vec<String> {
        let named = pattern.windows(4).any(|w| {
            w[..3] == [u16::from(b'('), u16::from(b'?'), u16::from(b'<')]
                && w[3] != u16::from(b'=')
                && w[3] != u16::from(b'!')
        });
        if !named {
            return Vec::new();
        }
        let wrapped = JsString::from("(?:")
            .concat(source)
            .concat(&JsValue::from_str(")|"));
        let Ok(regexp) = self.construct(&wrapped, flags) else {
            return Vec::new();
        };
        regexp
            .exec("")
            .map(|m| Reflect::get(&m, &self.groups).unwrap_or(JsValue::UNDEFINED))
            .filter(|g| g.is_object())
            .map(|g| {
                js_sys::Object::keys(g.unchecked_ref::<js_sys::Object>())
                    .iter()
                    .filter_map(|k| k.as_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn compile(pattern: &[u16], flags: &str) -> Result<(u32, Vec<String>), String> {
    BROWSER.with_borrow_mut(|b| {
        // `g` and `d` are boa's to apply; the browser's object always has `d` (its indices are
        // the match) and `g` (it starts at `lastIndex`), and keeps a sticky `y`, so that a
        // sticky pattern (every `split` makes one) tries one place, not every place after it.
        let own: String = flags.chars().filter(|c| "imsuvy".contains(*c)).collect();
        let key = (pattern.to_vec(), own.clone());
        if let Some(&id) = b.by_key.get(&key) {
            let c = b.compiled[id as usize].as_mut().expect("a live id");
            c.users += 1;
            return Ok((id, c.names.clone()));
        }
        let source = string(pattern);
        let regexp = match b.construct(&source, &format!("{own}dg")) {
            Ok(r) => r,
            // The message names the flags as written (V8 lists them in its own order).
            Err(e) => return Err(message(&b.construct(&source, flags).err().unwrap_or(e))),
        };
        let names = b.group_names(pattern, &source, &own);
        let compiled = Compiled {
            regexp,
            names_js: names.iter().map(|n| JsValue::from_str(n)).collect(),
            names: names.clone(),
            users: 1,
            key: key.clone(),
        };
        let id = match b.free_ids.pop() {
            Some(id) => {
                b.compiled[id as usize] = Some(compiled);
                id
            }
            None => {
                b.compiled.push(Some(compiled));
                (b.compiled.len() - 1) as u32
            }
        };
        b.by_key.insert(key, id);
        Ok((id, names))
    })
}

fn exec(
    id: u32,
    input: Option<&[u16]>,
    from: usize,
    out: &mut Vec<i32>,
) -> Result<bool, (bool, String)> {
    BROWSER.with_borrow_mut(|b| {
        if let Some(units) = input {
            b.input = string(units);
        }
        let Some(Some(c)) = b.compiled.get(id as usize) else {
            return Ok(false);
        };
        c.regexp.set_last_index(from as u32);
        // V8 throws while matching when its backtracking stack overflows (a RangeError, as in
        // Node), or a SyntaxError for a pattern too deep to compile: the program sees it.
        let found = b.exec.call1(&c.regexp, &b.input).map_err(|e| {
            let syntax = e
                .dyn_ref::<js_sys::Error>()
                .is_some_and(|e| e.name() == "SyntaxError");
            (syntax, message(&e))
        })?;
        if found.is_null() {
            return Ok(false);
        }
        let indices = Reflect::get(&found, &b.indices).unwrap_or(JsValue::UNDEFINED);
        let Some(indices) = indices.dyn_ref::<Array>() else {
            return Ok(false);
        };
        out.clear();
        for range in indices.iter() {
            push_range(&range, out);
        }
        if !c.names.is_empty() {
            let groups = Reflect::get(indices, &b.groups).unwrap_or(JsValue::UNDEFINED);
            for name in &c.names_js {
                let range = Reflect::get(&groups, name).unwrap_or(JsValue::UNDEFINED);
                push_range(&range, out);
            }
        }
        Ok(true)
    })
}

fn free(id: u32) {
    BROWSER.with_borrow_mut(|b| {
        let Some(Some(c)) = b.compiled.get_mut(id as usize) else {
            return;
        };
        c.users -= 1;
        if c.users == 0 {
            let key = c.key.clone();
            b.compiled[id as usize] = None;
            b.by_key.remove(&key);
            b.free_ids.push(id);
        }
    })
}
