//! The simulated remote services (crates/engine/js/internal/remote.js) answer as documented
//! there. Real Node cannot produce these outputs (it would reach the real network), so unlike
//! the conformance cases the expected text is the registry's documentation, written here.

use std::process::Command;

fn run(args: &[&str]) -> (String, String, Option<i32>) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let o = Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
        o.status.code(),
    )
}

const EXPECTED: &str = "\
dns null 203.0.113.10
200 application/json; charset=utf-8 { id: 2, name: 'Grace', email: 'grace@example.com' }
after two round trips
[
  { id: 1, name: 'Ada' },
  { id: 2, name: 'Grace' },
  { id: 3, name: 'Linus' }
]
{ method: 'POST', path: '/echo', query: 'x=1', body: { a: [ 1, 2 ] } }
404 false { error: 'user not found' }
503
{ error: 'not found' }
TimeoutError The operation was aborted due to timeout
TypeError fetch failed ENOTFOUND getaddrinfo ENOTFOUND nowhere.example.org
http.get 200 {\"id\":1,\"name\":\"Ada\",\"email\":\"ada@example.com\"}
net: HTTP/1.1 200 OK true
";

#[test]
fn fetch_http_and_net_reach_the_documented_services_and_nothing_else() {
    let (out, err, status) = run(&["run", "remote_services.js"]);
    assert_eq!(err, "");
    assert_eq!(
        status,
        Some(0),
        "the process exits: idle pooled sockets are unref'd"
    );
    assert_eq!(out, EXPECTED);
}

#[test]
fn a_remote_reply_waits_in_the_poll_queue_for_a_round_trip() {
    let (trace, _, status) = run(&["run", "--trace", "remote_services.js"]);
    assert_eq!(status, Some(0));
    // The first fetch: getaddrinfo on the pool, then the connect and the reply as epoll
    // watchers on the socket, each reported in the poll phase.
    assert!(trace.contains("enqueue pool queue #"), "{trace}");
    let connect = trace
        .lines()
        .find(|l| l.contains("enqueue poll #") && l.ends_with(" connect"))
        .expect("the connect waits in the poll queue");
    let data = trace
        .lines()
        .find(|l| l.contains("enqueue poll #") && l.ends_with(" data"))
        .expect("the reply waits in the poll queue");
    let at = |l: &str| -> f64 {
        l.split_whitespace()
            .next()
            .unwrap()
            .trim_end_matches("ms")
            .parse()
            .unwrap()
    };
    let (connect_id, data_id) = (
        connect
            .split('#')
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .to_owned(),
        data.split('#')
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .to_owned(),
    );
    let ran = |id: &str| -> f64 {
        at(trace
            .lines()
            .find(|l| l.contains(&format!("dequeue poll #{id}")))
            .expect("run from the poll queue"))
    };
    // remoteLatency is 40 ms, remoteJitter adds up to 10 ms.
    let waited = ran(&connect_id) - at(connect);
    assert!(
        (40.0..=50.0).contains(&waited),
        "connect waited {waited} ms"
    );
    let waited = ran(&data_id) - at(data);
    assert!((40.0..=50.0).contains(&waited), "reply waited {waited} ms");
}
