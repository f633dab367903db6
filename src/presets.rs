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

pub use looplab_engine::load::{routes, Route};

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
