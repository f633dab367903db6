//! The sink a synthetic request's response is written into (`SyntheticSink` in js/http.js) is
//! not a stream, for speed, but must keep a Writable's timing: when each write's callback runs
//! against the program's own ticks and microtasks, what corking changes, how `destroy` ends.
//! The oracle is a `stream.Writable` (js/stream.js: Node's logic, held to real Node by the
//! conformance cases) that completes every write synchronously, driven
//! through the same operations in the same program; the two logs must be the same.

use looplab_engine::{Engine, Options};

const PROGRAM: &str = r#"
const http = require('http');
const { Writable } = require('stream');

// The same operations on a socket-like target; what happens, in order, goes to `log`.
function exercise(target, log, done) {
  target.on('close', () => log.push('close'));
  target.on('error', (e) => log.push('error ' + e.message));
  const shared = () => log.push('shared');
  target.cork();
  target.write('a', () => log.push('cb a'));
  target.write('b', () => log.push('cb b'));
  target.write('b2');
  log.push('corked length ' + target.writableLength + ' corked ' + target.writableCorked);
  process.nextTick(() => log.push('tick 1'));
  target.uncork();
  log.push('after uncork');
  target.write('c', () => log.push('cb c'));
  target.write('d', shared);
  target.write('e', shared);
  target.write('f');
  target.cork();
  target.write('g');
  target.write('h');
  target.uncork();
  target.cork();
  target.write('i', () => log.push('cb i'));
  target.uncork();
  process.nextTick(() => log.push('tick 2'));
  Promise.resolve().then(() => log.push('micro'));
  log.push('sync end, length ' + target.writableLength);
  target.on('drain', () => log.push('drain'));
  setImmediate(() => {
    log.push('big ' + target.write('x'.repeat(20000), () => log.push('cb big')));
    log.push('need drain ' + target.writableNeedDrain + ', length ' + target.writableLength);
  });
  setTimeout(() => {
    target.write('j', () => log.push('cb j'));
    target.cork();
    target.write('k', (e) => log.push('cb k ' + (e ? e.code || e.message : 'ok')));
    target.write('l', (e) => log.push('cb l ' + (e ? e.code || e.message : 'ok')));
    log.push('corked big ' + target.write('y'.repeat(20000)));
    target.destroy(target.failWith);
    target.uncork();
    target.write('m', (e) => log.push('cb m ' + (e ? e.code || e.message : 'ok')));
    log.push('destroyed ' + target.destroyed);
    process.nextTick(() => log.push('tick 3'));
    setTimeout(done, 5);
  }, 2);
}

function writable(failWith) {
  const w = new Writable({
    decodeStrings: false,
    write(chunk, encoding, cb) { cb(); },
    writev(chunks, cb) { cb(); },
  });
  w.failWith = failWith;
  return w;
}

http.createServer((req, res) => {
  const Sink = res.socket.constructor;
  const logs = {};
  const runs = [
    ['sink', () => new Sink(0)],
    ['writable', () => writable()],
    ['sink, destroyed with an error', () => Object.assign(new Sink(0), { failWith: new Error('boom') })],
    ['writable, destroyed with an error', () => writable(new Error('boom'))],
  ];
  const next = (i) => {
    if (i === runs.length) {
      console.log(JSON.stringify(logs));
      res.end('ok');
      return;
    }
    const log = (logs[runs[i][0]] = []);
    exercise(runs[i][1](), log, () => next(i + 1));
  };
  next(0);
}).listen(3000);
"#;

#[test]
fn a_synthetic_responses_sink_keeps_a_writables_timing() {
    let mut engine = Engine::new(PROGRAM, "/app/sink.js", Options::default()).unwrap();
    assert_eq!(engine.run_to_end().unwrap(), None, "the server listens");
    let id = engine.send_request("GET", "/").expect("a server listens");
    assert_eq!(engine.run_to_end().unwrap(), None);
    let out: String = engine.take_output().into_iter().map(|o| o.text).collect();
    let line = out
        .lines()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("{out}"));
    let logs = |key: &str| {
        let start = line.find(&format!("\"{key}\":[")).unwrap() + key.len() + 4;
        let end = start + line[start..].find(']').unwrap();
        line[start..end].to_owned()
    };
    for (sink, writable) in [
        ("sink", "writable"),
        (
            "sink, destroyed with an error",
            "writable, destroyed with an error",
        ),
    ] {
        assert_eq!(logs(sink), logs(writable), "{sink} against {writable}");
    }
    // The oracle did something: every callback, the shared one twice, corking, the ticks.
    let plain = logs("writable");
    for event in [
        "cb a",
        "cb b",
        "cb c",
        "cb i",
        "shared\",\"shared",
        "tick 3",
        "close",
        "corked 1",
    ] {
        assert!(plain.contains(event), "{event} in {plain}");
    }
    let failed = logs("writable, destroyed with an error");
    assert!(
        failed.contains("error boom") && failed.contains("cb k boom"),
        "{failed}"
    );
    let request = engine.requests().into_iter().find(|r| r.id == id).unwrap();
    assert_eq!((request.status, request.body.as_str()), (Some(200), "ok"));
}

/// What the page shows of a reply is its body as the handler wrote it: whole, chunked or in
/// a head written apart, with characters of several bytes (one split between two chunks).
#[test]
fn a_synthetic_replys_body_is_what_the_handler_wrote() {
    const SERVER: &str = r#"
const http = require('http');
http.createServer((req, res) => {
  if (req.url === '/whole') return res.end('héllo wörld 😀');
  if (req.url === '/chunked') {
    res.write('héllo ');
    res.write(Buffer.from('wörld 😀').subarray(0, 2));
    res.write(Buffer.from('wörld 😀').subarray(2));
    return res.end('!');
  }
  if (req.url === '/head') {
    res.writeHead(201, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.flushHeaders();
    return setImmediate(() => res.end('\r\n\r\nafter a blank line'));
  }
  if (req.url === '/big') {
    const ok = res.write('x'.repeat(20000));
    return res.on('drain', () => res.end(' drained after ' + ok));
  }
  res.statusCode = 204;
  res.end();
}).listen(3000);
"#;
    let mut engine = Engine::new(SERVER, "/app/bodies.js", Options::default()).unwrap();
    assert_eq!(engine.run_to_end().unwrap(), None);
    let sent: Vec<(u64, u16, &str)> = [
        ("/whole", 200, "héllo wörld 😀"),
        ("/chunked", 200, "héllo wörld 😀!"),
        ("/head", 201, "\r\n\r\nafter a blank line"),
        ("/empty", 204, ""),
        ("/big", 200, ""),
    ]
    .into_iter()
    .map(|(url, status, body)| (engine.send_request("GET", url).unwrap(), status, body))
    .collect();
    assert_eq!(engine.run_to_end().unwrap(), None);
    let requests = engine.requests();
    for (id, status, body) in sent {
        let r = requests.iter().find(|r| r.id == id).unwrap();
        assert_eq!(r.status, Some(status), "{}", r.url);
        if r.url == "/big" {
            // (The page keeps a body's first 200 characters; the reply came after 'drain'.)
            assert_eq!(r.body, "x".repeat(200));
        } else {
            assert_eq!(r.body, body, "{}", r.url);
        }
    }
}
