//! The replay record of a session's inputs, packed: a long run's requests in about ten bytes
//! each.
//!
//! HOW: a replay needs every request the run received, with the step it was sent at and the
//! instant it reached the socket (see `session.rs`). Kept as `(u64, Input)` with two `String`s,
//! that is about a hundred bytes a request, and a run at 1,000 requests a second grows by
//! 100 KB every virtual second. Here each request is a few LEB128 varints in one byte vector:
//! the step as a difference from the previous request's, the arrival instant as a zigzagged
//! difference (a load test's arrival can be dated before an earlier send), and a URL template
//! with its number: `/users/1234` is the template `GET /users/{}` (stored once) and 1234. A URL
//! whose number does not survive the round trip (a leading zero, no digits at all) is its own
//! template with no number. Every [`MARK`] entries a mark keeps the byte offset and the
//! running step and instant, so reading from the k-th entry (the page asks for what is new
//! since its last view) starts near it, not at the beginning.

use looplab_model::Micros;

use crate::session::Input;

/// Entries between two marks.
pub const MARK: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Template {
    method: String,
    prefix: String,
    suffix: String,
    numbered: bool,
}

/// A position in the log: the next entry's byte offset and index, and the step and instant
/// the differences are taken from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    offset: usize,
    index: usize,
    step: u64,
    at: u64,
}

/// The packed inputs of a run, in the order they were sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputLog {
    bytes: Vec<u8>,
    templates: Vec<Template>,
    marks: Vec<Cursor>,
    end: Cursor,
}

fn put(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn take(bytes: &[u8], offset: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*offset) {
        *offset += 1;
        v |= ((b & 0x7f) as u64) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    v
}

fn zigzag(d: i64) -> u64 {
    ((d << 1) ^ (d >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// `url` as (prefix, number, suffix) around its last run of digits, when printing the number
/// between them gives `url` back.
fn split_number(url: &str) -> Option<(&str, u64, &str)> {
    let bytes = url.as_bytes();
    let end = bytes.iter().rposition(u8::is_ascii_digit)? + 1;
    let start = bytes[..end]
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let digits = &url[start..end];
    let n: u64 = digits.parse().ok()?;
    (n.to_string() == digits).then_some((&url[..start], n, &url[end..]))
}

impl InputLog {
    pub fn len(&self) -> usize {
        self.end.index
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held (the packed entries, the templates and the marks).
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + self.marks.capacity() * std::mem::size_of::<Cursor>()
            + self
                .templates
                .iter()
                .map(|t| t.method.len() + t.prefix.len() + t.suffix.len() + 80)
                .sum::<usize>()
    }

    /// Appends a request sent at `step`, arrived at `at`.
    pub fn push(&mut self, step: u64, input: &Input) {
        let Input::Request { method, url, at } = input;
        if self.end.index % MARK == 0 {
            self.marks.push(self.end);
        }
        let (template, n) = match split_number(url) {
            Some((prefix, n, suffix)) => (
                Template {
                    method: method.clone(),
                    prefix: prefix.to_owned(),
                    suffix: suffix.to_owned(),
                    numbered: true,
                },
                Some(n),
            ),
            None => (
                Template {
                    method: method.clone(),
                    prefix: url.clone(),
                    suffix: String::new(),
                    numbered: false,
                },
                None,
            ),
        };
        let id = match self.templates.iter().position(|t| *t == template) {
            Some(i) => i,
            None => {
                self.templates.push(template);
                self.templates.len() - 1
            }
        };
        let mut out = std::mem::take(&mut self.bytes);
        put(&mut out, step.wrapping_sub(self.end.step));
        put(&mut out, zigzag(at.0 as i64 - self.end.at as i64));
        put(&mut out, id as u64);
        if let Some(n) = n {
            put(&mut out, n);
        }
        self.bytes = out;
        self.end = Cursor {
            offset: self.bytes.len(),
            index: self.end.index + 1,
            step,
            at: at.0,
        };
    }

    /// Keeps the first `n` entries (a step back forgets the later ones).
    pub fn truncate(&mut self, n: usize) {
        if n >= self.len() {
            return;
        }
        let cursor = self.read_from(n).cursor;
        self.bytes.truncate(cursor.offset);
        self.marks.retain(|m| m.index < n);
        self.end = cursor;
    }

    /// The entries from the `from`-th on.
    pub fn read_from(&self, from: usize) -> Reader<'_> {
        let from = from.min(self.len());
        let mut cursor = self.marks.get(from / MARK).copied().unwrap_or(self.end);
        let mut reader = Reader { log: self, cursor };
        while reader.cursor.index < from {
            reader.next();
        }
        cursor = reader.cursor;
        Reader { log: self, cursor }
    }

    fn decode(&self, cursor: &mut Cursor) -> Option<(u64, Input)> {
        if cursor.index >= self.end.index {
            return None;
        }
        let b = &self.bytes;
        let step = cursor.step.wrapping_add(take(b, &mut cursor.offset));
        let at = (cursor.at as i64 + unzigzag(take(b, &mut cursor.offset))) as u64;
        let t = &self.templates[take(b, &mut cursor.offset) as usize];
        let url = if t.numbered {
            let n = take(b, &mut cursor.offset);
            format!("{}{n}{}", t.prefix, t.suffix)
        } else {
            t.prefix.clone()
        };
        cursor.index += 1;
        cursor.step = step;
        cursor.at = at;
        Some((
            step,
            Input::Request {
                method: t.method.clone(),
                url,
                at: Micros(at),
            },
        ))
    }
}

impl FromIterator<(u64, Input)> for InputLog {
    fn from_iter<I: IntoIterator<Item = (u64, Input)>>(iter: I) -> InputLog {
        let mut log = InputLog::default();
        for (step, input) in iter {
            log.push(step, &input);
        }
        log
    }
}

/// Reads a log's entries in order (see [`InputLog::read_from`]).
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    log: &'a InputLog,
    cursor: Cursor,
}

impl Iterator for Reader<'_> {
    type Item = (u64, Input);
    fn next(&mut self) -> Option<(u64, Input)> {
        self.log.decode(&mut self.cursor)
    }
}

/// A packed log a replay walks entry by entry ([`Replay`]).
pub trait Packed {
    type Entry: Clone + std::fmt::Debug;
    /// The entry at `cursor`, moving it past; None at the end.
    fn decode_at(&self, cursor: &mut Cursor) -> Option<Self::Entry>;
}

impl Packed for InputLog {
    type Entry = (u64, Input);
    fn decode_at(&self, cursor: &mut Cursor) -> Option<(u64, Input)> {
        self.decode(cursor)
    }
}

impl Packed for LimitLog {
    type Entry = (u64, Micros);
    fn decode_at(&self, cursor: &mut Cursor) -> Option<(u64, Micros)> {
        self.decode(cursor)
    }
}

/// A replay's place in a log it owns (a [`Reader`] without the borrow), with the next entry
/// decoded ahead.
#[derive(Clone, Debug, Default)]
pub struct Replay<L: Packed> {
    log: L,
    cursor: Cursor,
    peeked: Option<L::Entry>,
}

/// A replay of the requests a run received.
pub type Replaying = Replay<InputLog>;
/// A replay of the sleeps a run cut short.
pub type ReplayingLimits = Replay<LimitLog>;

impl<L: Packed> Replay<L> {
    pub fn new(log: L) -> Replay<L> {
        let mut cursor = Cursor::default();
        let peeked = log.decode_at(&mut cursor);
        Replay {
            log,
            cursor,
            peeked,
        }
    }

    /// The next entry, not consumed.
    pub fn peek(&self) -> Option<&L::Entry> {
        self.peeked.as_ref()
    }

    /// Consumes the next entry.
    pub fn advance(&mut self) -> Option<L::Entry> {
        let next = self.log.decode_at(&mut self.cursor);
        std::mem::replace(&mut self.peeked, next)
    }
}

/// The poll sleeps a run cut short, `(step, until)`, packed the same way (two varint
/// differences an entry): a steady rate cuts one or two sleeps a request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LimitLog {
    bytes: Vec<u8>,
    marks: Vec<Cursor>,
    end: Cursor,
}

impl LimitLog {
    pub fn len(&self) -> usize {
        self.end.index
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn push(&mut self, step: u64, until: Micros) {
        if self.end.index % MARK == 0 {
            self.marks.push(self.end);
        }
        put(&mut self.bytes, step.wrapping_sub(self.end.step));
        put(&mut self.bytes, zigzag(until.0 as i64 - self.end.at as i64));
        self.end = Cursor {
            offset: self.bytes.len(),
            index: self.end.index + 1,
            step,
            at: until.0,
        };
    }

    fn decode(&self, cursor: &mut Cursor) -> Option<(u64, Micros)> {
        if cursor.index >= self.end.index {
            return None;
        }
        let step = cursor
            .step
            .wrapping_add(take(&self.bytes, &mut cursor.offset));
        let at = (cursor.at as i64 + unzigzag(take(&self.bytes, &mut cursor.offset))) as u64;
        cursor.index += 1;
        cursor.step = step;
        cursor.at = at;
        Some((step, Micros(at)))
    }

    /// Keeps the first `n` entries.
    pub fn truncate(&mut self, n: usize) {
        if n >= self.len() {
            return;
        }
        let mut cursor = self.marks.get(n / MARK).copied().unwrap_or(self.end);
        while cursor.index < n {
            self.decode(&mut cursor);
        }
        self.bytes.truncate(cursor.offset);
        self.marks.retain(|m| m.index < n);
        self.end = cursor;
    }

    /// The entries from the `from`-th on.
    pub fn read_from(&self, from: usize) -> Vec<(u64, Micros)> {
        let from = from.min(self.len());
        let mut cursor = self.marks.get(from / MARK).copied().unwrap_or(self.end);
        let mut out = Vec::new();
        while let Some(e) = self.decode(&mut cursor) {
            if cursor.index > from {
                out.push(e);
            }
        }
        out
    }
}

impl FromIterator<(u64, Micros)> for LimitLog {
    fn from_iter<I: IntoIterator<Item = (u64, Micros)>>(iter: I) -> LimitLog {
        let mut log = LimitLog::default();
        for (step, until) in iter {
            log.push(step, until);
        }
        log
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: &str, url: &str, at: u64) -> Input {
        Input::Request {
            method: method.into(),
            url: url.into(),
            at: Micros(at),
        }
    }

    #[test]
    fn every_entry_reads_back_as_it_was_pushed_from_any_index() {
        let urls = [
            "/users/1",
            "/users/007",
            "/",
            "/a/12/b",
            "/x?n=18446744073709551615",
            "/x?n=99999999999999999999",
            "/users/0",
            "/é/5",
        ];
        let mut inputs = Vec::new();
        let mut at = 1_000u64;
        for i in 0..500u64 {
            // Arrivals may be dated before the last one (a load's arrival during a callback).
            at = if i % 7 == 3 {
                at - 40
            } else {
                at + 250 * (i % 5)
            };
            let url = if i % 3 == 0 {
                format!("/users/{}", i + 1)
            } else {
                urls[i as usize % urls.len()].to_owned()
            };
            let method = if i % 11 == 0 { "POST" } else { "GET" };
            inputs.push((10 + i * (i % 4), req(method, &url, at)));
        }
        let log: InputLog = inputs.iter().cloned().collect();
        assert_eq!(log.len(), 500);
        for from in [0, 1, 63, 64, 65, 200, 499, 500, 900] {
            let back: Vec<_> = log.read_from(from).collect();
            assert_eq!(back, inputs[from.min(500)..], "from {from}");
        }
        // Cut anywhere, then grown again: the same as pushing the kept ones and the new ones.
        for n in [0, 1, 64, 100, 128, 499] {
            let mut cut = log.clone();
            cut.truncate(n);
            cut.push(7_000, &req("GET", "/users/77", 9));
            let mut expected: InputLog = inputs[..n].iter().cloned().collect();
            expected.push(7_000, &req("GET", "/users/77", 9));
            assert_eq!(
                cut.read_from(0).collect::<Vec<_>>(),
                expected.read_from(0).collect::<Vec<_>>()
            );
            assert_eq!(cut.len(), n + 1);
        }
        let mut r = Replaying::new(log.clone());
        let mut all = Vec::new();
        while let Some(e) = r.advance() {
            all.push(e);
        }
        assert_eq!(all, inputs);
    }

    #[test]
    fn limits_read_back_from_any_index_and_replay_in_order() {
        let limits: Vec<(u64, Micros)> = (0..300u64)
            .map(|i| (i * 3 + i % 2, Micros(1_000_000 + i * 977 - (i % 5) * 300)))
            .collect();
        let log: LimitLog = limits.iter().copied().collect();
        for from in [0, 5, 64, 128, 299, 300, 1000] {
            assert_eq!(log.read_from(from), limits[from.min(300)..], "from {from}");
        }
        for n in [0, 3, 64, 65, 299] {
            let mut cut = log.clone();
            cut.truncate(n);
            cut.push(5_000, Micros(3));
            let mut expected = limits[..n].to_vec();
            expected.push((5_000, Micros(3)));
            assert_eq!(cut.read_from(0), expected, "cut at {n}");
        }
        let mut r = ReplayingLimits::new(log);
        let mut all = Vec::new();
        while let Some(e) = r.advance() {
            all.push(e);
        }
        assert_eq!(all, limits);
    }

    #[test]
    fn a_numbered_route_costs_a_few_bytes_a_request() {
        let mut log = InputLog::default();
        for i in 0..10_000u64 {
            let at = 5_000_000 + i * 1_000;
            log.push(3_000 + i * 9, &req("GET", &format!("/users/{}", i + 1), at));
        }
        let per = log.heap_bytes() as f64 / 10_000.0;
        assert!(per < 12.0, "{per} bytes a request");
    }
}
