//! What a load test is: who sends (an open-loop rate or closed-loop users), what they ask for
//! (a weighted route mix), for how long, from which seed; and the limits each setting has.
//!
//! HOW: a [`LoadSpec`] is built only through [`LoadSpec::new`], which checks every field against
//! its [`Limit`] and names the setting in its error the way the command line spells it
//! (`--connections: must be a whole number from 1 to 100000, got 0`). The page shows the same
//! limits beside its fields, so a bad value never reaches a run. A route in the mix is written
//! as `looplab load --route` takes it, `GET /users/:id=9` (weight 9; no `=` means weight 1), and
//! must be one the program declares ([`super::routes`]).
//!
//! WHY closed and open loops both: autocannon's `-c N` (each connection sends its next request
//! when the reply arrives) can never send faster than the server answers, so it hides queueing;
//! a fixed rate (wrk2, k6's arrival-rate executors) keeps arriving whatever the server does, which
//! is what makes a loop's p99 explode when one route blocks it. The article's "10,000 users"
//! is a closed loop with think time; its M/D/1 argument is an open loop.

use looplab_model::Micros;

use super::Route;

/// One setting's allowed range, as the command line names it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub flag: &'static str,
    pub min: f64,
    pub max: f64,
    /// Whether only whole numbers are allowed.
    pub whole: bool,
}

impl Limit {
    /// `value` if it lies in the range, or the error naming the flag and the range.
    pub fn check(&self, value: f64) -> Result<f64, LoadError> {
        let ok = value.is_finite()
            && value >= self.min
            && value <= self.max
            && (!self.whole || value.fract() == 0.0);
        if ok {
            Ok(value)
        } else {
            Err(LoadError {
                flag: self.flag,
                message: format!("{}, got {}", self.allowed(), show(value)),
            })
        }
    }

    /// "must be a whole number from 1 to 100000": what a field shows beside itself.
    pub fn allowed(&self) -> String {
        let kind = if self.whole {
            "a whole number"
        } else {
            "a number"
        };
        if self.min == 0.0 && !self.whole {
            format!("must be {kind} above 0 and at most {}", show(self.max))
        } else {
            format!(
                "must be {kind} from {} to {}",
                show(self.min),
                show(self.max)
            )
        }
    }
}

fn show(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Closed-loop users (`--connections`): the 10,000-user preset and ten times more.
pub const USERS: Limit = Limit {
    flag: "--connections",
    min: 1.0,
    max: 100_000.0,
    whole: true,
};
/// Open-loop rate in requests per virtual second (`--rate`); above 0, fractions allowed.
pub const RATE: Limit = Limit {
    flag: "--rate",
    min: 0.0,
    max: 100_000.0,
    whole: false,
};
/// Where a linear ramp starts, in requests per second (`--ramp-from`; 0 allowed).
pub const RAMP_FROM: Limit = Limit {
    flag: "--ramp-from",
    min: 0.0,
    max: 100_000.0,
    whole: false,
};
/// Virtual seconds the load lasts (`--duration`).
pub const DURATION: Limit = Limit {
    flag: "--duration",
    min: 0.0,
    max: 3_600.0,
    whole: false,
};
/// Think time between a reply and a user's next request, in milliseconds (`--think-ms`).
pub const THINK_MS: Limit = Limit {
    flag: "--think-ms",
    min: 0.0,
    max: 600_000.0,
    whole: false,
};
/// A route's weight in the mix (`--route 'GET /x=W'`).
pub const WEIGHT: Limit = Limit {
    flag: "--route",
    min: 1.0,
    max: 1_000_000.0,
    whole: true,
};
/// How long a client waits for a reply before it counts a timeout, in seconds (`--timeout`;
/// autocannon's default is 10).
pub const TIMEOUT: Limit = Limit {
    flag: "--timeout",
    min: 0.001,
    max: 3_600.0,
    whole: false,
};

/// A setting out of its range, or a route the program does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The command-line flag it concerns (`--connections`).
    pub flag: &'static str,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.flag, self.message)
    }
}
impl std::error::Error for LoadError {}

/// How arrivals of an open loop are spaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrivals {
    /// Evenly: at rate R, one every 1/R s (the first at the start).
    Uniform,
    /// A Poisson process: exponential gaps drawn from the seed.
    Poisson,
}

impl Arrivals {
    pub fn parse(s: &str) -> Result<Arrivals, LoadError> {
        match s {
            "uniform" => Ok(Arrivals::Uniform),
            "poisson" => Ok(Arrivals::Poisson),
            other => Err(LoadError {
                flag: "--arrivals",
                message: format!("must be uniform or poisson, got '{other}'"),
            }),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Arrivals::Uniform => "uniform",
            Arrivals::Poisson => "poisson",
        }
    }
}

/// Who sends.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// Requests arrive at `rate` per second whatever the server does; with `ramp_from` the rate
    /// grows (or falls) linearly from it at the start to `rate` at the end.
    Open {
        rate: f64,
        arrivals: Arrivals,
        ramp_from: Option<f64>,
    },
    /// `users` clients, each sending its next request `think` after its previous reply.
    Closed { users: u32, think: Micros },
}

/// A route and its share of the requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Weighted {
    pub route: Route,
    pub weight: u32,
}

impl Weighted {
    /// `GET /users/:id=9` (or `GET /users/:id`, weight 1), checked against the routes the
    /// program declares.
    pub fn parse(text: &str, declared: &[Route]) -> Result<Weighted, LoadError> {
        let err = |message: String| LoadError {
            flag: "--route",
            message,
        };
        let text = text.trim();
        let (route_text, weight) = match text.rsplit_once('=') {
            Some((r, w)) => {
                let w: f64 = w.trim().parse().map_err(|_| {
                    err(format!(
                        "'{text}': the weight after '=' must be a whole number from 1 to 1000000"
                    ))
                })?;
                let w = WEIGHT
                    .check(w)
                    .map_err(|e| err(format!("'{text}': the weight {}", e.message)))?;
                (r.trim(), w as u32)
            }
            None => (text, 1),
        };
        let Some((method, pattern)) = route_text.split_once(char::is_whitespace) else {
            return Err(err(format!(
                "'{text}' is not METHOD /path[=WEIGHT] (e.g. 'GET /users/:id=9')"
            )));
        };
        let key = format!("{} {}", method.to_uppercase(), pattern.trim());
        match declared.iter().find(|r| r.key() == key) {
            Some(route) => Ok(Weighted {
                route: route.clone(),
                weight,
            }),
            None => {
                let have: Vec<String> = declared.iter().map(Route::key).collect();
                Err(err(if have.is_empty() {
                    format!("'{key}': the program declares no routes (app.get('/path', ...))")
                } else {
                    format!(
                        "'{key}' is not a route the program declares (it declares: {})",
                        have.join(", ")
                    )
                }))
            }
        }
    }
}

/// A whole load test, checked (see [`LoadSpec::new`]).
#[derive(Clone, Debug, PartialEq)]
pub struct LoadSpec {
    mode: Mode,
    mix: Vec<Weighted>,
    duration: Micros,
    timeout: Micros,
    seed: u64,
}

impl LoadSpec {
    /// Checks every setting against its limit. `duration_s` and `timeout_s` are virtual seconds.
    pub fn new(
        mode: Mode,
        mix: Vec<Weighted>,
        duration_s: f64,
        timeout_s: f64,
        seed: u64,
    ) -> Result<LoadSpec, LoadError> {
        match &mode {
            Mode::Open {
                rate, ramp_from, ..
            } => {
                positive(RATE, *rate)?;
                if let Some(r) = ramp_from {
                    RAMP_FROM.check(*r)?;
                }
            }
            Mode::Closed { users, think } => {
                USERS.check(*users as f64)?;
                THINK_MS.check(think.as_ms_f64())?;
            }
        }
        if mix.is_empty() {
            return Err(LoadError {
                flag: "--route",
                message: "the mix needs at least one route".into(),
            });
        }
        let duration_s = positive(DURATION, duration_s)?;
        let timeout_s = TIMEOUT.check(timeout_s)?;
        Ok(LoadSpec {
            mode,
            mix,
            duration: Micros((duration_s * 1e6).round() as u64),
            timeout: Micros((timeout_s * 1e6).round() as u64),
            seed,
        })
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }
    pub fn mix(&self) -> &[Weighted] {
        &self.mix
    }
    pub fn duration(&self) -> Micros {
        self.duration
    }
    pub fn timeout(&self) -> Micros {
        self.timeout
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

/// A limit whose lower end is excluded (a rate or a duration of 0 makes no run).
fn positive(limit: Limit, value: f64) -> Result<f64, LoadError> {
    let v = limit.check(value)?;
    if v <= 0.0 {
        return Err(LoadError {
            flag: limit.flag,
            message: format!("{}, got {}", limit.allowed(), show(value)),
        });
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared() -> Vec<Route> {
        super::super::routes("app.get('/users/:id', h); app.get('/report/cpu', h);")
    }

    #[test]
    fn a_route_with_a_weight_is_found_among_the_declared_ones() {
        let w = Weighted::parse("get /users/:id=9", &declared()).unwrap();
        assert_eq!((w.route.key(), w.weight), ("GET /users/:id".into(), 9));
        let w = Weighted::parse("GET /report/cpu", &declared()).unwrap();
        assert_eq!(w.weight, 1);
    }

    #[test]
    fn a_malformed_or_unknown_route_says_what_and_where() {
        let e = Weighted::parse("GET /nope=2", &declared()).unwrap_err();
        assert_eq!(e.flag, "--route");
        assert!(
            e.message
                .contains("'GET /nope' is not a route the program declares"),
            "{e}"
        );
        assert!(e.message.contains("GET /users/:id, GET /report/cpu"), "{e}");
        let e = Weighted::parse("GET /users/:id=x", &declared()).unwrap_err();
        assert!(e.message.contains("weight after '='"), "{e}");
        let e = Weighted::parse("GET /users/:id=0", &declared()).unwrap_err();
        assert!(e.message.contains("from 1 to 1000000, got 0"), "{e}");
        let e = Weighted::parse("/users/:id", &declared()).unwrap_err();
        assert!(e.message.contains("METHOD /path"), "{e}");
    }

    #[test]
    fn every_setting_out_of_range_names_its_flag_and_range() {
        let mix = vec![Weighted::parse("GET /users/:id", &declared()).unwrap()];
        let closed = |users| Mode::Closed {
            users,
            think: Micros::ZERO,
        };
        let open = |rate| Mode::Open {
            rate,
            arrivals: Arrivals::Uniform,
            ramp_from: None,
        };
        let e = LoadSpec::new(closed(0), mix.clone(), 1.0, 10.0, 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--connections: must be a whole number from 1 to 100000, got 0"
        );
        let e = LoadSpec::new(closed(1_000_000_000), mix.clone(), 1.0, 10.0, 0).unwrap_err();
        assert_eq!(e.flag, "--connections");
        let e = LoadSpec::new(open(-1.0), mix.clone(), 1.0, 10.0, 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--rate: must be a number above 0 and at most 100000, got -1"
        );
        assert_eq!(
            LoadSpec::new(open(0.0), mix.clone(), 1.0, 10.0, 0)
                .unwrap_err()
                .flag,
            "--rate"
        );
        let e = LoadSpec::new(open(0.5), mix.clone(), 0.0, 10.0, 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--duration: must be a number above 0 and at most 3600, got 0"
        );
        assert_eq!(
            LoadSpec::new(open(f64::NAN), mix.clone(), 1.0, 10.0, 0)
                .unwrap_err()
                .flag,
            "--rate"
        );
        assert_eq!(
            LoadSpec::new(open(1.0), vec![], 1.0, 10.0, 0)
                .unwrap_err()
                .flag,
            "--route"
        );
        let ok = LoadSpec::new(open(0.5), mix, 2.5, 10.0, 7).unwrap();
        assert_eq!(ok.duration(), Micros(2_500_000));
    }
}
