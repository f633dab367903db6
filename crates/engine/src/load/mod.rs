//! Load: requests a client sends to the program's HTTP server, generated in virtual time.
//!
//! HOW: a request is an input from outside the process. A generator decides *when* each one
//! arrives (in virtual time) and *which* route it asks for; the [`Session`](crate::session::Session)
//! sends it when the loop reaches that instant (a sleep in poll is cut there), and records it,
//! so a replay sends the same request at the same step. The page's Requests pane sends through
//! them; they live in the engine so that anything driving a `Session` (tests, the command line)
//! generates load the same way.
//!
//! Routes: a program's Express app declares its routes (`app.get('/users/:id', ...)`);
//! [`routes`] finds them in the source, and [`Route::url`] fills each `:param` of the n-th
//! request with n.
//!
//! A load test (issue 10) is built from the submodules, in the order data flows:
//! `spec` (what the user asked for, checked) → `generator` (arrival instants and routes) →
//! `run` (the loop: the real program on a `Session`) and `threads` (the thread-per-request
//! server, plain Rust, fed the loop's measured route profiles) → `stats` (the collector both
//! use) and `memory` (measured and assumed bytes) → `report` (the table, the JSON, the
//! one-line diagnosis).

use looplab_model::Micros;

pub mod generator;
pub mod memory;
pub mod report;
pub mod run;
pub mod spec;
pub mod stats;
pub mod threads;

/// A route the program's Express app declares, as found in its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The pattern as written, e.g. `/users/:id`.
    pub pattern: String,
}

impl Route {
    /// "GET /users/:id": the route selector's label and value.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.pattern)
    }

    /// A concrete URL for the `n`th request: every `:param` becomes `n`.
    pub fn url(&self, n: u64) -> String {
        self.pattern
            .split('/')
            .map(|part| {
                if part.starts_with(':') {
                    n.to_string()
                } else {
                    part.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The routes declared with `app.get('/path', ...)` (and post, put, delete, patch), in source
/// order. A plain scan of the source: the route selector only needs methods and paths.
pub fn routes(source: &str) -> Vec<Route> {
    let mut found: Vec<(usize, Route)> = Vec::new();
    for method in ["get", "post", "put", "delete", "patch"] {
        let needle = format!(".{method}(");
        let mut from = 0;
        while let Some(i) = source[from..].find(&needle) {
            let at = from + i;
            from = at + needle.len();
            let rest = source[from..].trim_start();
            let Some(quote) = rest
                .chars()
                .next()
                .filter(|c| matches!(c, '\'' | '"' | '`'))
            else {
                continue;
            };
            let body = &rest[1..];
            let Some(end) = body.find(quote) else {
                continue;
            };
            let pattern = &body[..end];
            if pattern.starts_with('/') {
                found.push((
                    at,
                    Route {
                        method: method.to_uppercase(),
                        pattern: pattern.to_owned(),
                    },
                ));
            }
        }
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, r)| r).collect()
}

/// Requests at a steady rate, scheduled in virtual time: one every `interval`, the first at
/// the instant the rate starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SteadyRate {
    pub route: Route,
    /// Virtual µs between two requests.
    pub interval: Micros,
    /// When the next one is sent.
    pub next: Micros,
}

impl SteadyRate {
    /// `per_second` requests each virtual second (at least one), the first one at `now`.
    pub fn new(route: Route, per_second: u32, now: Micros) -> SteadyRate {
        let per_second = per_second.max(1) as u64;
        SteadyRate {
            route,
            interval: Micros(1_000_000 / per_second),
            next: now,
        }
    }

    /// How many requests are due at `now`; moves `next` past them.
    pub fn take_due(&mut self, now: Micros) -> u32 {
        let mut n = 0;
        while self.next <= now {
            n += 1;
            self.next = self.next + self.interval;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_become_the_request_number() {
        let r = Route {
            method: "GET".into(),
            pattern: "/users/:id/posts/:post".into(),
        };
        assert_eq!(r.url(7), "/users/7/posts/7");
        let r = Route {
            method: "GET".into(),
            pattern: "/login".into(),
        };
        assert_eq!(r.url(3), "/login");
    }

    #[test]
    fn only_paths_count_and_other_calls_are_ignored() {
        let src =
            "map.get(key); app.post(\"/items\", h); router.delete(`/x/:id`, h); cache.get('k')";
        let keys: Vec<String> = routes(src).iter().map(Route::key).collect();
        assert_eq!(keys, ["POST /items", "DELETE /x/:id"]);
    }

    #[test]
    fn a_steady_rate_is_due_once_per_interval_from_its_start() {
        let route = Route {
            method: "GET".into(),
            pattern: "/".into(),
        };
        let mut rate = SteadyRate::new(route, 4, Micros::from_ms(100));
        assert_eq!(rate.interval, Micros::from_ms(250));
        assert_eq!(rate.take_due(Micros::from_ms(99)), 0);
        assert_eq!(rate.take_due(Micros::from_ms(100)), 1);
        assert_eq!(rate.take_due(Micros::from_ms(900)), 3);
        assert_eq!(rate.next, Micros::from_ms(1100));
    }
}
