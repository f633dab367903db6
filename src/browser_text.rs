//! The browser's own text machinery for the engine in WebAssembly: `String.prototype.normalize`
//! and regular expressions.
//!
//! WHY: boa's normalization tables (`icu_normalizer`) and its regular expression engine
//! (`regress`, with its Unicode tables for property escapes and case folding) are about 160 KB
//! of the page's gzipped WebAssembly, and the browser that runs the page has both already. Its
//! regular expressions are V8's in Chromium, the ones Node runs, so a program's patterns
//! behave and fail as they do in Node, messages included ("Invalid regular expression:
//! /(/: Unterminated group"). Natively (the CLI, the tests) boa's own run; the conformance
//! cases run both ways (`tests/engine_wasm.rs`). See vendor/boa_engine/LOOPLAB.md, changes 10
//! and 11, and vendor/boa_parser/LOOPLAB.md.
//!
//! HOW: [`install`] gives the engine plain functions (`looplab_engine::set_normalizer`,
//! `set_regexp_host`). A pattern is compiled once per source and flags into a browser `RegExp`
//! with the `d` (indices) and `g` flags, shared by every boa `RegExp` with that source (boa keeps
//! `lastIndex` itself; the browser object is set to the index before each match), and freed
//! with the last one. A match is one call into a small JavaScript function that returns the
//! start and end of the match and of each group as one `Int32Array`. The input of the last
//! match stays a browser string: a global `replace` over a long text matches many times in
//! the same string, and the engine says when it is the same one.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, Function, Int32Array, JsString, Reflect, RegExp, Uint16Array};
use looplab_engine::RegExpHost;
use wasm_bindgen::{JsCast, JsValue};

/// Gives the engine the browser's `normalize` and regular expressions. Every engine the page
/// makes is made after this ran.
pub fn install() {
    looplab_engine::set_normalizer(|form, s| {
        JsString::from_char_code(s).normalize(form).iter().collect()
    });
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
    users: usize,
    key: (Vec<u16>, String),
}

struct Browser {
    /// `(utf16) => string`, in slices (`String.fromCharCode` takes its code units as arguments).
    to_string: Function,
    /// `(regexp, input, from) => Int32Array | null`: see the module's essay.
    exec: Function,
    /// `(source, flags) => names`: the named groups of a pattern, in its order.
    names: Function,
    compiled: Vec<Option<Compiled>>,
    free_ids: Vec<u32>,
    by_key: HashMap<(Vec<u16>, String), u32>,
    /// The input of the last match.
    input: JsValue,
}

thread_local! {
    static BROWSER: RefCell<Browser> = RefCell::new(Browser {
        to_string: Function::new_with_args(
            "u",
            "let s = ''; for (let i = 0; i < u.length; i += 8192) \
             s += String.fromCharCode.apply(null, u.subarray(i, i + 8192)); return s;",
        ),
        exec: Function::new_with_args(
            "re, s, from",
            "re.lastIndex = from; const m = re.exec(s); if (m === null) return null; \
             const ix = m.indices; const g = ix.groups; const names = g ? Object.keys(g) : []; \
             const out = new Int32Array(2 * (ix.length + names.length)); let k = 0; \
             for (let i = 0; i < ix.length; i++) { const r = ix[i]; \
               out[k++] = r ? r[0] : -1; out[k++] = r ? r[1] : -1; } \
             for (const n of names) { const r = g[n]; \
               out[k++] = r ? r[0] : -1; out[k++] = r ? r[1] : -1; } \
             return out;",
        ),
        names: Function::new_with_args(
            "source, flags",
            "const m = new RegExp('(?:' + source + ')|', flags).exec(''); \
             return m.groups ? Object.keys(m.groups) : [];",
        ),
        compiled: Vec::new(),
        free_ids: Vec::new(),
        by_key: HashMap::new(),
        input: JsValue::UNDEFINED,
    });
}

impl Browser {
    fn string(&self, units: &[u16]) -> JsValue {
        self.to_string
            .call1(&JsValue::NULL, &Uint16Array::from(units))
            .unwrap_or_else(|_| JsValue::from_str(""))
    }
}

/// The message of what the browser threw.
fn message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "Invalid regular expression".to_owned())
}

fn construct(source: &JsValue, flags: &str) -> Result<RegExp, JsValue> {
    let ctor: Function = js_sys::global()
        .dyn_into::<js_sys::Object>()
        .ok()
        .and_then(|g| Reflect::get(&g, &"RegExp".into()).ok())
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| JsValue::from_str("no RegExp in this browser"))?;
    let args = Array::of2(source, &JsValue::from_str(flags));
    Reflect::construct(&ctor, &args).map(|r| r.unchecked_into())
}

fn compile(pattern: &[u16], flags: &str) -> Result<(u32, Vec<String>), String> {
    BROWSER.with_borrow_mut(|b| {
        // `g`, `y` and `d` are boa's to apply; the browser's object always has `d` and `g`.
        let own: String = flags.chars().filter(|c| "imsuv".contains(*c)).collect();
        let key = (pattern.to_vec(), own.clone());
        if let Some(&id) = b.by_key.get(&key) {
            let c = b.compiled[id as usize].as_mut().expect("a live id");
            c.users += 1;
            return Ok((id, c.names.clone()));
        }
        let source = b.string(pattern);
        let regexp = match construct(&source, &format!("{own}dg")) {
            Ok(r) => r,
            // The message names the flags as written (V8 lists them in its own order).
            Err(e) => return Err(message(&construct(&source, flags).err().unwrap_or(e))),
        };
        let names: Vec<String> = b
            .names
            .call2(&JsValue::NULL, &source, &JsValue::from_str(&own))
            .ok()
            .map(|n| {
                Array::from(&n)
                    .iter()
                    .filter_map(|s| s.as_string())
                    .collect()
            })
            .unwrap_or_default();
        let compiled = Compiled {
            regexp,
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

fn exec(id: u32, input: Option<&[u16]>, from: usize, out: &mut Vec<i32>) -> bool {
    BROWSER.with_borrow_mut(|b| {
        if let Some(units) = input {
            b.input = b.string(units);
        }
        let Some(Some(c)) = b.compiled.get(id as usize) else {
            return false;
        };
        let found = b.exec.call3(
            &JsValue::NULL,
            &c.regexp,
            &b.input,
            &JsValue::from_f64(from as f64),
        );
        match found {
            Ok(v) if !v.is_null() => {
                let ranges: Int32Array = v.unchecked_into();
                out.resize(ranges.length() as usize, 0);
                ranges.copy_to(out);
                true
            }
            _ => false,
        }
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
