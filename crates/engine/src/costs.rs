//! What things cost in virtual time.
//!
//! HOW: JavaScript itself runs "for free" except for a per-callback base cost (the model's
//! `Config::callback_cost`); time passes when a program reads the clock (so a busy-wait on
//! `Date.now()` advances), when it calls a synchronous API (`readFileSync`, `pbkdf2Sync`), and
//! on the thread pool and the network. The figures are rough measurements of Node 20 on a
//! 2-vCPU x86-64 VM, rounded; the oracle's timing-based cases use margins of 10x, so only their
//! order of magnitude matters. They are all settable, from the CLI and from the page.
//!
//! Every cost is declared once, in the `costs!` table below: its Rust field, its JavaScript
//! name (what the Node layer reads as `costs.fsOpen` and what `--cost` accepts), its default and
//! what it means. `looplab costs` lists the same table, plus the two the model itself charges
//! (`callbackCost`, `scriptCost`, see [`Options::set_cost`](crate::Options::set_cost)).

macro_rules! costs {
    ($( $(#[doc = $doc:literal])* $field:ident, $js:literal = $default:expr; )*) => {
        /// All in microseconds (per unit where the name says so), but `epoch_ms`.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Costs {
            $( $(#[doc = $doc])* pub $field: f64, )*
        }

        impl Default for Costs {
            fn default() -> Costs {
                Costs { $( $field: $default, )* }
            }
        }

        impl Costs {
            /// (JavaScript name, value, what it is) for every cost, in the table's order.
            pub fn fields(&self) -> Vec<(&'static str, f64, &'static str)> {
                vec![ $( ($js, self.$field, first_line(&[$($doc),*])), )* ]
            }

            fn slot(&mut self, js_name: &str) -> Option<&mut f64> {
                match js_name {
                    $( $js => Some(&mut self.$field), )*
                    _ => None,
                }
            }
        }
    };
}

fn first_line(doc: &[&'static str]) -> &'static str {
    doc.first().map(|l| l.trim()).unwrap_or("")
}

costs! {
    /// Reading `Date.now()` / `performance.now()`: what a busy-wait iteration costs.
    clock_read, "clockRead" = 5.0;
    /// fs: opening a file (a pool job).
    fs_open, "fsOpen" = 40.0;
    /// fs: `stat`/`fstat`, `access`, `readdir`, `unlink` (a pool job each).
    fs_stat, "fsStat" = 25.0;
    /// fs: one read, plus `fsReadPerByte` for each byte.
    fs_read, "fsRead" = 30.0;
    /// fs: per byte read or written.
    fs_read_per_byte, "fsReadPerByte" = 0.001;
    /// fs: one write.
    fs_write, "fsWrite" = 40.0;
    /// fs: closing a file.
    fs_close, "fsClose" = 15.0;
    /// pbkdf2 per iteration with sha1/md5.
    pbkdf2_sha1_per_iter, "pbkdf2Sha1PerIter" = 0.3;
    /// pbkdf2 per iteration with sha256 (and unknown digests).
    pbkdf2_sha256_per_iter, "pbkdf2Sha256PerIter" = 0.4;
    /// pbkdf2 per iteration with sha512/sha384 (4000 iterations ≈ 3 ms).
    pbkdf2_sha512_per_iter, "pbkdf2Sha512PerIter" = 0.75;
    /// scrypt per unit of N·r·p (N=16384, r=8 ≈ 40 ms).
    scrypt_per_nr, "scryptPerNr" = 0.3;
    /// randomBytes: base cost.
    random_bytes_base, "randomBytesBase" = 10.0;
    /// randomBytes: per byte.
    random_bytes_per_byte, "randomBytesPerByte" = 0.01;
    /// getaddrinfo for a name the resolver answers locally.
    dns_lookup, "dnsLookup" = 150.0;
    /// zlib: base cost of one (de)compression.
    zlib_base, "zlibBase" = 50.0;
    /// zlib: per input byte.
    zlib_per_byte, "zlibPerByte" = 0.02;
    /// A TCP hop on loopback (connect, data, EOF).
    loopback_latency, "loopbackLatency" = 60.0;
    /// `db.query`: the database's reply time, plus up to `dbJitter` drawn from the seed.
    db_latency, "dbLatency" = 20_000.0;
    /// `db.query`: the most the seeded jitter adds to `dbLatency`.
    db_jitter, "dbJitter" = 10_000.0;
    /// A round trip to a simulated remote service (js/internal/remote.js: `api.example.com`):
    /// the TCP connect, and again from a request to its response, plus up to `remoteJitter`.
    remote_latency, "remoteLatency" = 40_000.0;
    /// The most the seeded jitter adds to a remote service's response time.
    remote_jitter, "remoteJitter" = 10_000.0;
    /// `JSON.parse` per input character.
    json_parse_per_char, "jsonParsePerChar" = 0.01;
    /// The first write to stdout (or stderr): Node creates the stream lazily, loading and
    /// setting up its machinery, which takes milliseconds (measured 2.6-6 ms); it is why a
    /// program that logs in its main script often sees a 1 ms timer due before the loop starts.
    console_first_write, "consoleFirstWrite" = 4_000.0;
    /// Every later `console.log` (formatting and a synchronous write).
    console_write, "consoleWrite" = 50.0;
    /// Not a cost: `Date.now()` at virtual time 0, in ms (not µs) since the Unix epoch
    /// (2026-01-01T00:00:00Z).
    epoch_ms, "epochMs" = 1_767_225_600_000.0;
}

/// A cost name as a user may type it: `db_latency`, `db-latency`, `dbLatency`, `DBLATENCY`.
pub(crate) fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .collect::<String>()
        .to_lowercase()
}

impl Costs {
    /// Set one cost by its JavaScript or Rust name (`db_latency` or `dbLatency`).
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), String> {
        check_value(name, value)?;
        let key = fold(name);
        let js = self
            .fields()
            .into_iter()
            .map(|(js, _, _)| js)
            .find(|js| fold(js) == key)
            .ok_or_else(|| format!("unknown cost '{name}' (`looplab costs` lists them)"))?;
        if let Some(slot) = self.slot(js) {
            *slot = value;
        }
        Ok(())
    }
}

pub(crate) fn check_value(name: &str, value: f64) -> Result<(), String> {
    if !value.is_finite() || value < 0.0 {
        return Err(format!(
            "cost {name} must be a non-negative number, got {value}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_cost_can_be_set_by_either_name() {
        for (js, _, doc) in Costs::default().fields() {
            assert!(!doc.is_empty(), "{js} says what it is");
            let mut c = Costs::default();
            c.set(js, 1234.0).unwrap();
            assert!(c.fields().iter().any(|(n, v, _)| *n == js && *v == 1234.0));
            let snake: String = js
                .chars()
                .flat_map(|ch| {
                    if ch.is_ascii_uppercase() {
                        vec!['_', ch.to_ascii_lowercase()]
                    } else {
                        vec![ch]
                    }
                })
                .collect();
            Costs::default().set(&snake, 1.0).unwrap();
        }
    }

    #[test]
    fn unknown_names_and_bad_values_are_errors() {
        let mut c = Costs::default();
        assert!(c
            .set("dbLatencyy", 1.0)
            .unwrap_err()
            .contains("unknown cost"));
        assert!(c.set("dbLatency", -1.0).is_err());
        assert!(c.set("dbLatency", f64::NAN).is_err());
        assert_eq!(c, Costs::default());
    }

    #[test]
    fn epoch_is_listed() {
        assert!(Costs::default()
            .fields()
            .iter()
            .any(|(n, _, _)| *n == "epochMs"));
    }
}
