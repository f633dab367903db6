//! The Load pane's form: what the user typed, checked against the engine's limits before
//! anything is sent.
//!
//! HOW: the page keeps every field as the text the user typed ([`LoadForm`]), so a bad value
//! stays on screen beside the message that says what is allowed. [`LoadForm::check`] turns the
//! form into a [`LoadRequest`] with the engine's own checks (`load::spec`: the same limits and
//! messages `looplab load` prints, the flag swapped for the field's name), or into a
//! [`FieldError`] naming the field; only a checked request crosses to the simulation, which
//! builds the engine's `LoadSpec` from it again (the routes are the loaded program's).
//!
//! The database latency is part of the request because it is a cost of the *process*
//! (`dbLatency`, fixed when the engine starts): Start runs the program afresh with it, then
//! starts the load, so a load test always begins from a fresh server and the same form gives
//! the same run.

use looplab_engine::load::spec::{
    Arrivals, LoadError, LoadSpec, Mode, Weighted, DURATION, RATE, THINK_MS, USERS,
};
use looplab_engine::load::Route;
use looplab_engine::looplab_model::Micros;
use serde::{Deserialize, Serialize};

/// Who sends the requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sender {
    /// N users, each sending its next request a think time after its reply (autocannon's `-c`).
    Users,
    /// R requests per virtual second whatever the server does (Poisson arrivals).
    Rate,
}

/// The form as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadForm {
    pub sender: Sender,
    pub users: String,
    pub think_ms: String,
    pub rate: String,
    pub duration_s: String,
    /// One route a line: `GET /users/:id=9`.
    pub mix: String,
    pub db_latency_ms: String,
    pub compare: bool,
}

/// A field of the form, by its test id.
pub const FIELDS: [&str; 6] = [
    "load-users",
    "load-think",
    "load-rate",
    "load-duration",
    "load-route-mix",
    "load-db-latency",
];

/// A field whose value cannot be sent, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field's test id (one of [`FIELDS`]).
    pub field: &'static str,
    pub message: String,
}

/// The database's latency a load may set, in ms (the engine's `dbLatency` cost, a minute at
/// most).
pub const DB_LATENCY_MS: (f64, f64) = (0.0, 60_000.0);

/// The most requests an open-loop load from the page may send (rate × duration).
pub const MAX_ARRIVALS: f64 = 1_000_000.0;

/// The page's durations are whole virtual seconds (the charts' points are seconds).
fn duration_allowed() -> String {
    format!(
        "must be a whole number of virtual seconds from 1 to {}",
        DURATION.max
    )
}

/// A checked load test, as the simulation receives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadRequest {
    pub sender: Sender,
    pub users: u32,
    pub think_ms: f64,
    pub rate: f64,
    pub duration_s: f64,
    /// `GET /users/:id=9`, one per route.
    pub mix: Vec<String>,
    pub db_latency_ms: f64,
    pub compare: bool,
    pub seed: u64,
}

/// The seed every load from the page uses (the CLI's default): the same form, the same run.
pub const SEED: u64 = 1;
/// A client gives up after this many virtual seconds (autocannon's default).
pub const TIMEOUT_S: f64 = 10.0;

impl Default for LoadForm {
    /// A small open-loop test of the default server's database route.
    fn default() -> LoadForm {
        LoadForm {
            sender: Sender::Rate,
            users: "100".into(),
            think_ms: "0".into(),
            rate: "100".into(),
            duration_s: "5".into(),
            mix: "GET /users/:id".into(),
            db_latency_ms: "20".into(),
            compare: true,
        }
    }
}

/// The presets the pane offers: (key, label, form).
pub fn presets() -> [(&'static str, &'static str, LoadForm); 2] {
    [
        (
            "ten-thousand",
            "10,000 users waiting on the database",
            LoadForm {
                sender: Sender::Users,
                users: "10000".into(),
                think_ms: "5000".into(),
                rate: "100".into(),
                duration_s: "10".into(),
                mix: "GET /users/:id".into(),
                db_latency_ms: "1000".into(),
                compare: true,
            },
        ),
        (
            "cpu-route",
            "One CPU route among fast ones",
            LoadForm {
                sender: Sender::Rate,
                users: "100".into(),
                think_ms: "0".into(),
                rate: "100".into(),
                duration_s: "10".into(),
                mix: "GET /users/:id=9\nGET /report/cpu=1".into(),
                db_latency_ms: "20".into(),
                compare: true,
            },
        ),
    ]
}

/// A number typed in `field`, or what the field allows.
fn number(field: &'static str, text: &str, allowed: &str) -> Result<f64, FieldError> {
    text.trim().parse::<f64>().map_err(|_| FieldError {
        field,
        message: format!("'{}' is not a number: {allowed}", text.trim()),
    })
}

/// The engine's error on `field`, in the page's words (no command-line flag).
fn in_field(field: &'static str) -> impl Fn(LoadError) -> FieldError {
    move |e| FieldError {
        field,
        message: e.message,
    }
}

impl LoadForm {
    /// The request the form describes, checked against the engine's limits and the program's
    /// `routes`; or the first field that is wrong.
    pub fn check(&self, routes: &[Route]) -> Result<LoadRequest, FieldError> {
        let (users, think_ms, rate) = match self.sender {
            Sender::Users => {
                let users = number("load-users", &self.users, &USERS.allowed())?;
                USERS.check(users).map_err(in_field("load-users"))?;
                let think = number("load-think", &self.think_ms, &THINK_MS.allowed())?;
                THINK_MS.check(think).map_err(in_field("load-think"))?;
                (users as u32, think, 0.0)
            }
            Sender::Rate => {
                let allowed = RATE.allowed();
                let rate = number("load-rate", &self.rate, &allowed)?;
                if !(rate > 0.0 && rate <= RATE.max) {
                    return Err(FieldError {
                        field: "load-rate",
                        message: format!("{allowed}, got {}", self.rate.trim()),
                    });
                }
                (0, 0.0, rate)
            }
        };
        let duration_allowed = duration_allowed();
        let duration_s = number("load-duration", &self.duration_s, &duration_allowed)?;
        if !(duration_s >= 1.0 && duration_s <= DURATION.max && duration_s.fract() == 0.0) {
            return Err(FieldError {
                field: "load-duration",
                message: format!("{duration_allowed}, got {}", self.duration_s.trim()),
            });
        }
        // The thread server is computed at once when the load starts: keep it a few seconds.
        if self.sender == Sender::Rate && rate * duration_s > MAX_ARRIVALS {
            return Err(FieldError {
                field: "load-rate",
                message: format!(
                    "rate × duration must be at most {} requests, got {}",
                    thousands(MAX_ARRIVALS as u64),
                    thousands((rate * duration_s).round() as u64)
                ),
            });
        }
        let mix: Vec<String> = self
            .mix
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if mix.is_empty() {
            return Err(FieldError {
                field: "load-route-mix",
                message: "the mix needs at least one route, e.g. 'GET /users/:id=9'".into(),
            });
        }
        for line in &mix {
            Weighted::parse(line, routes).map_err(in_field("load-route-mix"))?;
        }
        let (lo, hi) = DB_LATENCY_MS;
        let db_allowed = format!("must be a number from {lo} to {hi} (ms)");
        let db = number("load-db-latency", &self.db_latency_ms, &db_allowed)?;
        if !(lo..=hi).contains(&db) {
            return Err(FieldError {
                field: "load-db-latency",
                message: format!("{db_allowed}, got {}", self.db_latency_ms.trim()),
            });
        }
        let request = LoadRequest {
            sender: self.sender,
            users,
            think_ms,
            rate,
            duration_s,
            mix,
            db_latency_ms: db,
            compare: self.compare,
            seed: SEED,
        };
        // Whatever the engine still refuses is named by its flag's field.
        request.spec(routes).map_err(|e| FieldError {
            field: match e.flag {
                "--connections" => "load-users",
                "--think-ms" => "load-think",
                "--rate" => "load-rate",
                "--route" => "load-route-mix",
                _ => "load-duration",
            },
            message: e.message,
        })?;
        Ok(request)
    }

    /// The allowed range shown under a field.
    pub fn hint(field: &str) -> String {
        match field {
            "load-users" => USERS.allowed(),
            "load-think" => format!("{} (ms)", THINK_MS.allowed()),
            "load-rate" => format!("{} (requests per virtual second)", RATE.allowed()),
            "load-duration" => duration_allowed(),
            "load-db-latency" => format!(
                "must be a number from {} to {} (ms)",
                DB_LATENCY_MS.0, DB_LATENCY_MS.1
            ),
            _ => "one route a line, METHOD /path=WEIGHT".into(),
        }
    }
}

impl LoadRequest {
    /// The engine's load test for a program that declares `routes`.
    pub fn spec(&self, routes: &[Route]) -> Result<LoadSpec, LoadError> {
        let mode = match self.sender {
            Sender::Users => Mode::Closed {
                users: self.users,
                think: Micros((self.think_ms * 1_000.0).round() as u64),
            },
            Sender::Rate => Mode::Open {
                rate: self.rate,
                arrivals: Arrivals::Poisson,
                ramp_from: None,
            },
        };
        let mix = self
            .mix
            .iter()
            .map(|m| Weighted::parse(m, routes))
            .collect::<Result<Vec<_>, _>>()?;
        LoadSpec::new(mode, mix, self.duration_s, TIMEOUT_S, self.seed)
    }

    /// The costs the process runs with: (name, µs).
    pub fn costs(&self) -> Vec<(String, f64)> {
        vec![("dbLatency".into(), self.db_latency_ms * 1_000.0)]
    }

    /// "10,000 users (think 5 s), GET /users/:id, 10 s": the pane's title for the run.
    pub fn describe(&self) -> String {
        let who = match self.sender {
            Sender::Users => format!(
                "{} users, think {} ms",
                thousands(self.users as u64),
                self.think_ms
            ),
            Sender::Rate => format!("{} req/s (Poisson)", self.rate),
        };
        format!(
            "{who}; {}; {} s; database {} ms",
            self.mix.join(", "),
            self.duration_s,
            self.db_latency_ms
        )
    }
}

/// 10000 → "10,000".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::{default_preset, routes};

    fn server() -> Vec<Route> {
        routes(default_preset().source)
    }

    #[test]
    fn the_presets_and_the_default_are_valid_on_the_default_server() {
        assert!(LoadForm::default().check(&server()).is_ok());
        for (_, _, form) in presets() {
            let r = form.check(&server()).unwrap();
            assert!(r.spec(&server()).is_ok());
        }
    }

    #[test]
    fn each_bad_field_is_named_with_what_it_allows() {
        let bad = |f: fn(&mut LoadForm)| {
            let mut form = presets()[0].2.clone();
            f(&mut form);
            form.check(&server()).unwrap_err()
        };
        let e = bad(|f| f.users = "0".into());
        assert_eq!(e.field, "load-users");
        assert_eq!(e.message, "must be a whole number from 1 to 100000, got 0");
        let e = bad(|f| f.users = "1e9".into());
        assert_eq!(e.field, "load-users");
        let e = bad(|f| f.users = "ten".into());
        assert_eq!(
            e.message,
            "'ten' is not a number: must be a whole number from 1 to 100000"
        );
        assert_eq!(bad(|f| f.think_ms = "-1".into()).field, "load-think");
        let e = bad(|f| f.duration_s = "0".into());
        assert_eq!(e.field, "load-duration");
        assert_eq!(
            e.message,
            "must be a whole number of virtual seconds from 1 to 3600, got 0"
        );
        assert_eq!(bad(|f| f.duration_s = "2.5".into()).field, "load-duration");
        let e = bad(|f| {
            f.sender = Sender::Rate;
            f.rate = "1000".into();
            f.duration_s = "3600".into();
        });
        assert_eq!(e.field, "load-rate");
        assert!(e.message.contains("at most 1,000,000"), "{}", e.message);
        let e = bad(|f| f.mix = "GET /nowhere".into());
        assert_eq!(e.field, "load-route-mix");
        assert!(e.message.contains("GET /users/:id"), "{}", e.message);
        assert_eq!(bad(|f| f.mix = "  \n ".into()).field, "load-route-mix");
        assert_eq!(
            bad(|f| f.db_latency_ms = "-5".into()).field,
            "load-db-latency"
        );
        let e = bad(|f| {
            f.sender = Sender::Rate;
            f.rate = "-3".into();
        });
        assert_eq!(e.field, "load-rate");
        assert!(e.message.ends_with("got -3"), "{}", e.message);
        // A field of the other sender does not matter.
        let mut form = presets()[1].2.clone();
        form.users = "0".into();
        assert!(form.check(&server()).is_ok());
    }

    #[test]
    fn a_request_describes_itself_and_carries_its_database_latency() {
        let r = presets()[0].2.check(&server()).unwrap();
        assert_eq!(
            r.describe(),
            "10,000 users, think 5000 ms; GET /users/:id; 10 s; database 1000 ms"
        );
        assert_eq!(r.costs(), vec![("dbLatency".to_owned(), 1_000_000.0)]);
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}
