//! What things cost in virtual time.
//!
//! HOW: JavaScript itself runs "for free" except for a per-callback base cost (the model's
//! `Config::callback_cost`); time passes when a program reads the clock (so a busy-wait on
//! `Date.now()` advances), when it calls a synchronous API (`readFileSync`, `pbkdf2Sync`), and
//! on the thread pool and the network. The figures are rough measurements of Node 20 on a
//! 2-vCPU x86-64 VM, rounded; the oracle's timing-based cases use margins of 10x, so only their
//! order of magnitude matters. They are all settable, from the CLI and from the page.

/// All in microseconds (per unit where the name says so).
#[derive(Clone, Debug, PartialEq)]
pub struct Costs {
    /// Reading `Date.now()` / `performance.now()`: what a busy-wait iteration costs.
    pub clock_read: f64,
    pub fs_open: f64,
    pub fs_stat: f64,
    pub fs_read: f64,
    pub fs_read_per_byte: f64,
    pub fs_write: f64,
    pub fs_close: f64,
    /// pbkdf2 per iteration, by digest (sha512 4000 iterations ≈ 3 ms).
    pub pbkdf2_sha1_per_iter: f64,
    pub pbkdf2_sha256_per_iter: f64,
    pub pbkdf2_sha512_per_iter: f64,
    /// scrypt per unit of N·r·p (N=16384, r=8 ≈ 40 ms).
    pub scrypt_per_nr: f64,
    pub random_bytes_base: f64,
    pub random_bytes_per_byte: f64,
    /// getaddrinfo for a name the resolver answers locally.
    pub dns_lookup: f64,
    pub zlib_base: f64,
    pub zlib_per_byte: f64,
    /// A TCP hop on loopback (connect, data, EOF).
    pub loopback_latency: f64,
    /// `db.query`: the database's reply time, plus up to `db_jitter` drawn from the seed.
    pub db_latency: f64,
    pub db_jitter: f64,
    /// `JSON.parse` per input character.
    pub json_parse_per_char: f64,
    /// The first write to stdout (or stderr): Node creates the stream lazily, loading and
    /// setting up its machinery, which takes milliseconds (measured 2.6-6 ms); it is why a
    /// program that logs in its main script often sees a 1 ms timer due before the loop starts.
    pub console_first_write: f64,
    /// Every later `console.log` (formatting and a synchronous write).
    pub console_write: f64,
    /// `Date.now()` at virtual time 0, in ms since the Unix epoch (2026-01-01T00:00:00Z).
    pub epoch_ms: f64,
}

impl Default for Costs {
    fn default() -> Costs {
        Costs {
            clock_read: 5.0,
            fs_open: 40.0,
            fs_stat: 25.0,
            fs_read: 30.0,
            fs_read_per_byte: 0.001,
            fs_write: 40.0,
            fs_close: 15.0,
            pbkdf2_sha1_per_iter: 0.3,
            pbkdf2_sha256_per_iter: 0.4,
            pbkdf2_sha512_per_iter: 0.75,
            scrypt_per_nr: 0.3,
            random_bytes_base: 10.0,
            random_bytes_per_byte: 0.01,
            dns_lookup: 150.0,
            zlib_base: 50.0,
            zlib_per_byte: 0.02,
            loopback_latency: 60.0,
            db_latency: 20_000.0,
            db_jitter: 10_000.0,
            json_parse_per_char: 0.01,
            console_first_write: 4_000.0,
            console_write: 50.0,
            epoch_ms: 1_767_225_600_000.0,
        }
    }
}

impl Costs {
    /// (JavaScript name, value) pairs, as the prelude reads them (`costs.fsOpen`, ...).
    pub fn fields(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("clockRead", self.clock_read),
            ("fsOpen", self.fs_open),
            ("fsStat", self.fs_stat),
            ("fsRead", self.fs_read),
            ("fsReadPerByte", self.fs_read_per_byte),
            ("fsWrite", self.fs_write),
            ("fsClose", self.fs_close),
            ("pbkdf2Sha1PerIter", self.pbkdf2_sha1_per_iter),
            ("pbkdf2Sha256PerIter", self.pbkdf2_sha256_per_iter),
            ("pbkdf2Sha512PerIter", self.pbkdf2_sha512_per_iter),
            ("scryptPerNr", self.scrypt_per_nr),
            ("randomBytesBase", self.random_bytes_base),
            ("randomBytesPerByte", self.random_bytes_per_byte),
            ("dnsLookup", self.dns_lookup),
            ("zlibBase", self.zlib_base),
            ("zlibPerByte", self.zlib_per_byte),
            ("loopbackLatency", self.loopback_latency),
            ("dbLatency", self.db_latency),
            ("dbJitter", self.db_jitter),
            ("jsonParsePerChar", self.json_parse_per_char),
            ("consoleFirstWrite", self.console_first_write),
            ("consoleWrite", self.console_write),
        ]
    }

    /// Set one cost by its JavaScript or Rust name (`db_latency` or `dbLatency`), for the CLI.
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), String> {
        if !value.is_finite() || value < 0.0 {
            return Err(format!(
                "cost {name} must be a non-negative number, got {value}"
            ));
        }
        let key: String = name
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .collect::<String>()
            .to_lowercase();
        let slot = match key.as_str() {
            "clockread" => &mut self.clock_read,
            "fsopen" => &mut self.fs_open,
            "fsstat" => &mut self.fs_stat,
            "fsread" => &mut self.fs_read,
            "fsreadperbyte" => &mut self.fs_read_per_byte,
            "fswrite" => &mut self.fs_write,
            "fsclose" => &mut self.fs_close,
            "pbkdf2sha1periter" => &mut self.pbkdf2_sha1_per_iter,
            "pbkdf2sha256periter" => &mut self.pbkdf2_sha256_per_iter,
            "pbkdf2sha512periter" => &mut self.pbkdf2_sha512_per_iter,
            "scryptpernr" => &mut self.scrypt_per_nr,
            "randombytesbase" => &mut self.random_bytes_base,
            "randombytesperbyte" => &mut self.random_bytes_per_byte,
            "dnslookup" => &mut self.dns_lookup,
            "zlibbase" => &mut self.zlib_base,
            "zlibperbyte" => &mut self.zlib_per_byte,
            "loopbacklatency" => &mut self.loopback_latency,
            "dblatency" => &mut self.db_latency,
            "dbjitter" => &mut self.db_jitter,
            "jsonparseperchar" => &mut self.json_parse_per_char,
            "consolefirstwrite" => &mut self.console_first_write,
            "consolewrite" => &mut self.console_write,
            "epochms" => &mut self.epoch_ms,
            _ => return Err(format!("unknown cost '{name}'")),
        };
        *slot = value;
        Ok(())
    }
}
