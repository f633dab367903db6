//! Node's JavaScript layer: the files of `js/`, built into the binary (`include_str!`, without
//! their comments and indentation: `build.rs`, `strip_js.rs`) and joined into one function when
//! an engine starts.
//!
//! HOW: real Node is mostly JavaScript (`lib/*.js`) over C++ bindings. Looplab keeps that shape:
//! the files in `js/` implement the Node APIs a program can use, one file per Node module as in
//! Node's `lib/` (and `js/internal/` for what Node keeps in `lib/internal/`), and every
//! operation that involves the event loop goes through `host`, a small native object whose
//! methods schedule work on the model (a timer, an immediate, a pool job, a watcher in the
//! kernel; see `host.rs`). The model decides when each callback runs and calls back through
//! `dispatch(id)`.
//!
//! WHY JavaScript: the order in which Node's own JS code emits events and queues nextTicks is
//! part of the behaviour being taught (a 'listening' event comes a nextTick after `listen()`, a
//! socket's 'end' comes before its 'close'); writing that logic as JS, the way Node does, keeps
//! it readable side by side with Node's source.
//!
//! The files share one scope: they are joined, in the order of [`FILES`], into the body of
//! `(function (host, filename, source) { 'use strict'; ... return looplabApi; })`, where
//! `looplabApi` (declared last, in `internal/bootstrap.js`) is the api the engine calls. Each
//! file names what it uses from the others in an ESLint `/* global */` comment at its top, so
//! its imports are written down; the lint (`scripts/lint-js.sh`, run by the test command)
//! checks every name used is declared somewhere. What runs at a file's top level may only use
//! what earlier files declare (`const` and `class` are not hoisted); inside functions, which
//! run later, any file's names are there. The lint cannot check that order; every engine test
//! starts the layer, so a mistake fails them all at once. Each file opens with what it mirrors
//! in Node and how.
//!
//! The files of [`LAZY`] are not in that function: they are joined into a second one, compiled
//! the first time a program needs them (see [`LAZY`]), since boa parses and compiles a whole
//! script before it runs any of it and they are two thirds of the text.

/// The Node layer's files, in the order they are joined (a file's top level may use what the
/// earlier ones declare).
pub const FILES: [(&str, &str); 37] = [
    (
        "inspect.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/inspect.js")),
    ),
    (
        "internal/errors.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/internal/errors.js")),
    ),
    (
        "internal/bindings.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/internal/bindings.js")),
    ),
    (
        "timers.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/timers.js")),
    ),
    (
        "events.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/events.js")),
    ),
    (
        "event_target.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/event_target.js")),
    ),
    (
        "process.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/process.js")),
    ),
    (
        "console.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/console.js")),
    ),
    (
        "buffer.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/buffer.js")),
    ),
    (
        "path.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/path.js")),
    ),
    (
        "internal/encoding.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/internal/encoding.js")),
    ),
    (
        "internal/intl.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/internal/intl.js")),
    ),
    (
        "internal/structured_clone.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/internal/structured_clone.js")),
    ),
    (
        "url.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/url.js")),
    ),
    ("os.js", include_str!(concat!(env!("OUT_DIR"), "/js/os.js"))),
    (
        "string_decoder.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/string_decoder.js")),
    ),
    (
        "stream.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/stream.js")),
    ),
    (
        "internal/webstreams.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/internal/webstreams.js")),
    ),
    (
        "internal/blob.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/internal/blob.js")),
    ),
    ("fs.js", include_str!(concat!(env!("OUT_DIR"), "/js/fs.js"))),
    (
        "internal/fs/streams.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/internal/fs/streams.js")),
    ),
    (
        "crypto.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/crypto.js")),
    ),
    (
        "dns.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/dns.js")),
    ),
    (
        "zlib.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/zlib.js")),
    ),
    (
        "util.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/util.js")),
    ),
    (
        "timers/promises.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/timers/promises.js")),
    ),
    (
        "perf_hooks.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/perf_hooks.js")),
    ),
    (
        "async_hooks.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/async_hooks.js")),
    ),
    (
        "net.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/net.js")),
    ),
    (
        "http_common.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/http_common.js")),
    ),
    (
        "internal/remote.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/internal/remote.js")),
    ),
    (
        "http.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/http.js")),
    ),
    (
        "fetch.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/fetch.js")),
    ),
    (
        "express.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/express.js")),
    ),
    ("db.js", include_str!(concat!(env!("OUT_DIR"), "/js/db.js"))),
    (
        "assert.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/assert.js")),
    ),
    (
        "internal/bootstrap.js",
        include_str!(concat!(env!("OUT_DIR"), "/js/internal/bootstrap.js")),
    ),
];

/// The files compiled only when a program first needs them (`require('http')`, `fetch`,
/// `new URL`, `process.stdout`, ...): a server's machinery (streams, sockets, HTTP, fetch,
/// Express), URLs and `assert`: 231 KB of the layer's 344 KB (without comments), and boa
/// parses and compiles the whole of a script before it runs any of it, so a program that needs
/// none of them (timers, promises, `fs`, the loop's order) starts in about a third of the
/// time. They are joined, in the order of [`FILES`], into a function of [`LAZY_IMPORTS`] (what
/// they use of the other files: constants, functions and classes, passed in once) that returns
/// [`LAZY_EXPORTS`] (what the other files use of them), and the other files name those through
/// `let` bindings that `loadLazy()` fills. A file of the rest that uses one calls `loadLazy()`
/// first; `internal/bootstrap.js` installs the globals and `require`'s modules that come from
/// here as getters that do.
pub const LAZY: [&str; 12] = [
    "url.js",
    "stream.js",
    "internal/webstreams.js",
    "internal/blob.js",
    "internal/fs/streams.js",
    "net.js",
    "http_common.js",
    "internal/remote.js",
    "http.js",
    "fetch.js",
    "express.js",
    "assert.js",
];

/// The names the lazy files use of the others (the test below checks the list against the
/// files' `/* global */` comments).
pub const LAZY_IMPORTS: [&str; 28] = [
    "AbortController",
    "AbortSignal",
    "Buffer",
    "DOMException",
    "EventEmitter",
    "StringDecoder",
    "TextDecoder",
    "TextEncoder",
    "Timeout",
    "atNodeSite",
    "callSite",
    "clearTimeout",
    "console",
    "costs",
    "describeReceived",
    "dns",
    "fs",
    "inspect",
    "invalidArgType",
    "kCustomInspect",
    "makeNodeError",
    "nextTick",
    "process",
    "register",
    "resolvePath",
    "toBytes",
    "toKernel",
    "validateFunction",
];

/// The names the other files use of the lazy ones (checked as [`LAZY_IMPORTS`] is).
pub const LAZY_EXPORTS: [&str; 25] = [
    "AbortError",
    "Blob",
    "Headers",
    "ReadStream",
    "ReadableStream",
    "Request",
    "Response",
    "Stream",
    "URL",
    "URLSearchParams",
    "WriteStream",
    "assert",
    "express",
    "fetch",
    "http",
    "httpServers",
    "injectRequest",
    "isDeepStrictEqual",
    "net",
    "querystring",
    "remoteServiceByName",
    "stdioStream",
    "streamPromises",
    "streamWeb",
    "url",
];

/// The layer a program starts with, as one function expression of `(host, filename, source)`.
pub fn source() -> String {
    let mut out = String::from("(function (host, filename, source) {\n'use strict';\n");
    // What the lazy files give the others, filled by `loadLazy()`. A load that throws (a
    // program that broke a builtin the lazy files' top level uses) is tried again next time;
    // one that needs a name of its own part while it runs finds the part loading.
    out.push_str(&format!(
        "let {};\nlet lazyLoaded = false;\nlet lazyLoading = false;\n\
         function loadLazy() {{\n\
         if (lazyLoaded || lazyLoading) return;\n\
         lazyLoading = true;\n\
         try {{\n\
         ({{ {} }} = host.lazyLayer()(host, filename, source, {}));\n\
         lazyLoaded = true;\n\
         }} finally {{\n\
         lazyLoading = false;\n\
         }}\n}}\n",
        LAZY_EXPORTS.join(", "),
        LAZY_EXPORTS.join(", "),
        LAZY_IMPORTS.join(", ")
    ));
    for (name, text) in FILES {
        if LAZY.contains(&name) {
            continue;
        }
        out.push_str(text);
        out.push('\n');
    }
    // `internal/bootstrap.js` declares the api the engine calls.
    out.push_str("return looplabApi;\n})");
    out
}

/// The lazy files, as one function expression of [`LAZY_IMPORTS`] returning [`LAZY_EXPORTS`].
pub fn lazy_source() -> String {
    // (The joined function's own parameters first: the files use them as the others do.)
    let mut out = format!(
        "(function (host, filename, source, {}) {{\n'use strict';\n",
        LAZY_IMPORTS.join(", ")
    );
    for (name, text) in FILES {
        if LAZY.contains(&name) {
            out.push_str(text);
            out.push('\n');
        }
    }
    out.push_str(&format!("return {{ {} }};\n}})", LAZY_EXPORTS.join(", ")));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_of_js_is_joined_once() {
        fn walk(dir: &std::path::Path, prefix: &str, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                if p.is_dir() {
                    walk(&p, &format!("{prefix}{name}/"), out);
                } else if p.extension().is_some_and(|x| x == "js") {
                    out.push(format!("{prefix}{name}"));
                }
            }
        }
        let mut on_disk = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("js"),
            "",
            &mut on_disk,
        );
        on_disk.sort();
        let mut joined: Vec<String> = super::FILES.iter().map(|(n, _)| n.to_string()).collect();
        joined.sort();
        assert_eq!(joined, on_disk);
        for lazy in super::LAZY {
            assert!(
                joined.iter().any(|n| n == lazy),
                "{lazy} is not a file of js/"
            );
        }
    }

    /// The top-level names a file declares (with whether they may be assigned again: `let`,
    /// `var`), and the names its `/* global */` comments import.
    fn declared_and_imported(path: &str) -> (Vec<(String, bool)>, Vec<String>) {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("js")
                .join(path),
        )
        .unwrap();
        let mut declared = Vec::new();
        for line in text.lines() {
            let rest = line
                .strip_prefix("async function ")
                .or_else(|| line.strip_prefix("function* "))
                .or_else(|| line.strip_prefix("function "))
                .or_else(|| line.strip_prefix("class "))
                .or_else(|| line.strip_prefix("const "))
                .or_else(|| line.strip_prefix("let "))
                .or_else(|| line.strip_prefix("var "));
            let Some(rest) = rest else { continue };
            let mutable = line.starts_with("let ") || line.starts_with("var ");
            let names: Vec<&str> = if let Some(inner) = rest.strip_prefix('{') {
                // `const { a, b: c } = ...`
                inner
                    .split('}')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .filter_map(|p| p.split(':').next_back())
                    .collect()
            } else {
                vec![rest]
            };
            for n in names {
                let n: String = n
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                    .collect();
                if !n.is_empty() {
                    declared.push((n, mutable));
                }
            }
        }
        let mut imported = Vec::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("/* global ") {
            let after = &rest[i + "/* global ".len()..];
            let end = after.find("*/").unwrap();
            imported.extend(
                after[..end]
                    .split(',')
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty()),
            );
            rest = &after[end..];
        }
        (declared, imported)
    }

    /// Runs `source` to its end; whether the lazy part of the layer was compiled.
    fn compiled_the_lazy_part(source: &str) -> bool {
        use looplab_model::Step;
        let mut e =
            crate::Engine::new(source, "/app/main.js", crate::Options::default()).expect("loads");
        loop {
            match e.step().expect("steps") {
                Step::Exited(_) | Step::AwaitingInput => break,
                _ => {}
            }
        }
        let loaded = e.shared.borrow().lazy_layer;
        loaded
    }

    #[test]
    fn a_program_compiles_the_lazy_part_only_when_it_uses_it() {
        for quiet in [
            "setTimeout(() => console.log('t'), 1); setImmediate(() => {}); process.nextTick(() => {});",
            "(async () => { await null; console.log(await Promise.all([1, 2])); })();",
            "const fs = require('fs'); fs.readFile('/etc/hosts', () => console.log('read'));",
            "require('util').promisify(setTimeout)(5).then(() => console.log(typeof fetch));",
            "const { createReadStream } = require('fs'); console.log(typeof createReadStream);",
            "require('events').once(new (require('events'))(), 'x'); require('crypto').randomBytes(4);",
        ] {
            assert!(!compiled_the_lazy_part(quiet), "{quiet}");
        }
        for needs in [
            "require('http');",
            "new URL('http://a/b');",
            "process.stdout.write('x');",
            "require('fs').createReadStream('/x').on('error', () => {});",
            "require('fs').ReadStream;",
            "require('util').isDeepStrictEqual(1, 1);",
            "fetch('http://127.0.0.1:9/').catch(() => {});",
            "require('stream');",
            "require('assert');",
        ] {
            assert!(compiled_the_lazy_part(needs), "{needs}");
        }
    }

    #[test]
    fn a_load_of_the_lazy_part_that_throws_is_tried_again() {
        // A program that breaks a builtin the lazy files' top level calls, once: the first
        // require throws, the next one loads (Node's own modules would not see the patch).
        use looplab_model::Step;
        let source = "const sp = Object.setPrototypeOf; let once = true;\n\
            Object.setPrototypeOf = function (a, b) { if (once) { once = false; throw new Error('x'); } return sp(a, b); };\n\
            try { require('stream'); } catch (e) { console.log('threw'); }\n\
            Object.setPrototypeOf = sp;\n\
            console.log(typeof require('stream').Readable, typeof URL, typeof new URL('http://a/').href);";
        let mut e =
            crate::Engine::new(source, "/app/main.js", crate::Options::default()).expect("loads");
        let mut out = String::new();
        loop {
            let step = e.step().expect("steps");
            for o in e.take_output() {
                out.push_str(&o.text);
            }
            if matches!(step, Step::Exited(_) | Step::AwaitingInput) {
                break;
            }
        }
        assert_eq!(out, "threw\nfunction function string\n");
    }

    #[test]
    fn the_lazy_files_imports_and_exports_are_what_the_files_use() {
        let mut lazy_declared = Vec::new();
        let mut eager_declared = Vec::new();
        let mut lazy_imported = Vec::new();
        let mut eager_imported = Vec::new();
        for (name, _) in super::FILES {
            let (d, i) = declared_and_imported(name);
            if super::LAZY.contains(&name) {
                lazy_declared.extend(d);
                lazy_imported.extend(i);
            } else {
                eager_declared.extend(d);
                eager_imported.extend(i);
            }
        }
        // What one side imports of the other's declarations, sorted. Each side gets the
        // other's values once, when the lazy part loads: none may be assigned again after that
        // (a `let` or `var` would go stale on the other side).
        fn crossing<'a>(imported: &'a [String], declared: &[(String, bool)]) -> Vec<&'a str> {
            let mut names: Vec<&str> = imported
                .iter()
                .filter(|n| declared.iter().any(|(d, _)| d == *n))
                .map(|n| n.as_str())
                .collect();
            for n in &names {
                assert!(
                    !declared.contains(&(n.to_string(), true)),
                    "{n} crosses between the lazy files and the others but is a `let` or `var`: \
                     it would go stale (pass a function that reads it)"
                );
            }
            names.sort();
            names.dedup();
            names
        }
        assert_eq!(
            crossing(&lazy_imported, &eager_declared),
            super::LAZY_IMPORTS.to_vec(),
            "LAZY_IMPORTS"
        );
        assert_eq!(
            crossing(&eager_imported, &lazy_declared),
            super::LAZY_EXPORTS.to_vec(),
            "LAZY_EXPORTS"
        );
    }
}
