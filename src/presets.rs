//! The programs the page offers: the default server and the finite presets.
//!
//! Each program is a real `.js` file in `src/presets/`, so `scripts/regen-preset-outputs.sh`
//! can run it with real Node and the end-to-end tests can compare the page's console with that
//! output (`tests/e2e/expected/<key>.out`).

/// One program in the preset menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Stable identifier: the `<option>` value and the file name without `.js`.
    pub key: &'static str,
    pub title: &'static str,
    pub source: &'static str,
    /// A server waits for requests forever; a finite program runs to its exit.
    pub server: bool,
}

pub const PRESETS: [Preset; 5] = [
    Preset {
        key: "server",
        title: "Express server: database, file, hash, CPU",
        source: include_str!("presets/server.js"),
        server: true,
    },
    Preset {
        key: "timers-vs-immediates",
        title: "Timers vs immediates",
        source: include_str!("presets/timers-vs-immediates.js"),
        server: false,
    },
    Preset {
        key: "nexttick-vs-promises",
        title: "nextTick vs promises",
        source: include_str!("presets/nexttick-vs-promises.js"),
        server: false,
    },
    Preset {
        key: "pool-saturation",
        title: "Thread pool saturation",
        source: include_str!("presets/pool-saturation.js"),
        server: false,
    },
    Preset {
        key: "blocked-loop",
        title: "A blocked loop",
        source: include_str!("presets/blocked-loop.js"),
        server: false,
    },
];

/// The program the page opens with.
pub fn default_preset() -> &'static Preset {
    &PRESETS[0]
}

pub fn preset(key: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.key == key)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_server_declares_four_routes_in_order() {
        let keys: Vec<String> = routes(default_preset().source)
            .iter()
            .map(Route::key)
            .collect();
        assert_eq!(
            keys,
            [
                "GET /users/:id",
                "GET /files/report",
                "GET /login",
                "GET /report/cpu"
            ]
        );
    }

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
    fn presets_have_unique_keys_and_only_the_server_listens() {
        let mut keys: Vec<_> = PRESETS.iter().map(|p| p.key).collect();
        keys.dedup();
        assert_eq!(keys.len(), PRESETS.len());
        assert!(PRESETS
            .iter()
            .all(|p| p.server == p.source.contains(".listen(")));
        assert_eq!(preset("blocked-loop").map(|p| p.key), Some("blocked-loop"));
        assert_eq!(preset("nope"), None);
    }
}
