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

/// The whole layer as one function expression of `(host, filename, source)`.
pub fn source() -> String {
    let mut out = String::from("(function (host, filename, source) {\n'use strict';\n");
    for (_, text) in FILES {
        out.push_str(text);
        out.push('\n');
    }
    // `internal/bootstrap.js` declares the api the engine calls.
    out.push_str("return looplabApi;\n})");
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
    }
}
