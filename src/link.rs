//! A scenario as a link: the program, its settings, the requests it received and the step,
//! in the page's URL, and back.
//!
//! HOW: a run is deterministic (see `looplab_engine::session`): the same process (program,
//! pool size, costs, seed) given the same inputs at the same steps takes the same steps. So a
//! link does not carry what the page shows, only what rebuilds it: a [`Scenario`]. Opening one
//! loads the process and replays its recorded inputs up to its step, exactly as the page
//! rebuilds a run after Stop (with the caption's progress bar while it replays).
//!
//! The fragment (`#…`, never sent to a server) is `key=value` pairs joined by `&`, as Python
//! Tutor's links are. The program and the recorded inputs are compressed with lz-string's
//! `compressToEncodedURIComponent` (the encoding of the TypeScript playground's `#code/…`
//! links); numbers and names are plain text a teacher can edit by hand (`pool=8`, `step=120`,
//! `speed=max`). Keys with their defaults are left out, so the link of
//! the page as it opens is just the page's address. The same keys work in the query
//! (`?embed&panes=loop,stack`); the fragment wins.
//!
//! WHY limits: a link is input from anyone. A fragment that is damaged (bad base64, cut short),
//! hostile (a 5 MB program, `pool=1000000000`, an lz-string "bomb" that expands to gigabytes) or
//! from a future version opens the default page with a notice naming every key that was wrong
//! and why; it never panics or leaves a blank page. lz-string's decoder has no output limit,
//! and its output can grow with the square of its input, so the compressed fields are bounded
//! before they are decoded ([`MAX_PACKED`]: at worst a few tens of MB, briefly).
//!
//! Embed options (`embed`, `panes`, `editor`, `controls`, `autoplay`, `preview`, `theme`) are
//! read here too ([`Embed`]); what they change is the page's (`app.rs`, `static/style.css`).

use looplab_engine::looplab_model::Micros;
use looplab_engine::session::Input;

use crate::load_form::{LoadForm, Sender};
use crate::presets;
use crate::protocol::{Process, Recording};
use crate::settings::{BURST, POOL_SIZE, RATE};
use crate::state::Speed;

/// The version of the format written; links with a higher `v` are refused with a notice.
pub const VERSION: u32 = 1;
/// The longest compressed field accepted (characters): a program or the recorded inputs.
pub const MAX_PACKED: usize = 16_384;
/// The longest program a link may carry (characters, once decompressed).
pub const MAX_PROGRAM: usize = 100_000;
/// The most recorded inputs (requests and cut sleeps) a link may carry.
pub const MAX_INPUTS: usize = 50_000;
/// The furthest step a link may ask for.
pub const MAX_STEP: u64 = 5_000_000;
/// The longest query or fragment read at all (characters).
pub const MAX_LINK: usize = 64 * 1024;

/// Everything that makes the page's state reproducible.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The preset last chosen (its program unless `program` says otherwise).
    pub preset: &'static str,
    /// The program, when it is not the preset's own.
    pub program: Option<String>,
    pub pool_size: u16,
    pub seed: u64,
    /// Engine costs the process sets (name, µs).
    pub costs: Vec<(String, f64)>,
    pub speed: Speed,
    /// The Requests pane: the route (index in the program's routes), burst size and rate.
    pub route: usize,
    pub burst: u32,
    pub rate: u32,
    /// The Load pane's fields, and whether its load test ran (opening the link runs it again:
    /// same form, same seed, same run).
    pub load_form: LoadForm,
    pub load_ran: bool,
    /// The requests the run received and the sleeps it cut short, up to `step`.
    pub recording: Recording,
    /// The step the page shows.
    pub step: u64,
}

impl Default for Scenario {
    fn default() -> Scenario {
        Scenario {
            preset: presets::default_preset().key,
            program: None,
            pool_size: POOL_SIZE.default as u16,
            seed: 0,
            costs: Vec::new(),
            speed: Speed::Steps4,
            route: 0,
            burst: BURST.default,
            rate: RATE.default,
            load_form: LoadForm::default(),
            load_ran: false,
            recording: Recording::default(),
            step: 0,
        }
    }
}

impl Scenario {
    /// The program that runs.
    pub fn source(&self) -> &str {
        match &self.program {
            Some(p) => p,
            None => {
                presets::preset(self.preset)
                    .unwrap_or_else(presets::default_preset)
                    .source
            }
        }
    }

    /// The process it starts.
    pub fn process(&self) -> Process {
        Process {
            source: self.source().to_owned(),
            pool_size: self.pool_size,
            costs: self.costs.clone(),
            seed: self.seed,
        }
    }
}

/// Which panes an embed shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pane {
    Loop,
    Stack,
    Queues,
    Pool,
    Console,
    Requests,
    Load,
    Editor,
    Timeline,
}

impl Pane {
    pub const ALL: [Pane; 9] = [
        Pane::Loop,
        Pane::Stack,
        Pane::Queues,
        Pane::Pool,
        Pane::Console,
        Pane::Requests,
        Pane::Load,
        Pane::Editor,
        Pane::Timeline,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            Pane::Loop => "loop",
            Pane::Stack => "stack",
            Pane::Queues => "queues",
            Pane::Pool => "pool",
            Pane::Console => "console",
            Pane::Requests => "requests",
            Pane::Load => "load",
            Pane::Editor => "editor",
            Pane::Timeline => "timeline",
        }
    }

    pub fn from_key(key: &str) -> Option<Pane> {
        Pane::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// How an embed shows the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditorMode {
    Editable,
    ReadOnly,
    Hidden,
}

/// The colour scheme: the reader's (`auto`, from `prefers-color-scheme`) or a fixed one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub const fn key(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The page inside a course page's `<iframe>`: compact chrome, chosen panes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Embed {
    /// The panes shown, in [`Pane::ALL`]'s order.
    pub panes: Vec<Pane>,
    pub editor: EditorMode,
    /// Play, pause and step only (true), or every control.
    pub minimal_controls: bool,
    /// Play as soon as the run is loaded.
    pub autoplay: bool,
    /// Nothing runs (no worker, no engine) until the reader clicks.
    pub preview: bool,
}

impl Default for Embed {
    fn default() -> Embed {
        Embed {
            panes: vec![
                Pane::Loop,
                Pane::Stack,
                Pane::Queues,
                Pane::Pool,
                Pane::Console,
                Pane::Editor,
            ],
            editor: EditorMode::ReadOnly,
            minimal_controls: true,
            autoplay: false,
            preview: false,
        }
    }
}

impl Embed {
    pub fn shows(&self, pane: Pane) -> bool {
        self.panes.contains(&pane) && (pane != Pane::Editor || self.editor != EditorMode::Hidden)
    }
}

/// What a page address says: the scenario (None: the page as it opens), the embed options,
/// the theme, and what was wrong with it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Link {
    pub scenario: Option<Scenario>,
    pub embed: Option<Embed>,
    pub theme: Theme,
    /// A lesson to open (`lesson=3&step=2`): its place in `lessons::all()` and the step, both
    /// 0-based.
    pub lesson: Option<(usize, usize)>,
    /// Every key that was wrong, and why (shown in the notice); empty for a good link.
    pub problems: Vec<String>,
}

impl Link {
    /// Reads a page address's query (`?…`, without the `?`) and fragment (`#…`, without the
    /// `#`). Never fails: what cannot be read is a problem, and a scenario with any problem is
    /// dropped for the default page.
    pub fn parse(query: &str, fragment: &str) -> Link {
        let mut problems = Vec::new();
        let mut pairs = Vec::new();
        for (what, text) in [("query", query), ("fragment", fragment)] {
            if text.len() > MAX_LINK {
                problems.push(format!(
                    "the link's {what} is {} characters long (at most {MAX_LINK} are read)",
                    text.len()
                ));
                continue;
            }
            pairs.extend(split(text));
        }
        let mut link = Link::default();
        let mut scenario = Scenario::default();
        let mut any_scenario = false;
        let mut embed: Option<Embed> = None;
        let mut embed_keys: Vec<(String, String)> = Vec::new();
        let mut packed_program = None;
        let mut packed_inputs = None;
        let mut lesson = None;
        let mut bad_scenario = false;
        for (key, value) in pairs {
            let mut wrong = |why: String| {
                problems.push(format!("`{key}`: {why}"));
                true
            };
            match key.as_str() {
                "" => {}
                "v" => match value.parse::<u32>() {
                    Ok(v) if v <= VERSION => {}
                    Ok(v) => {
                        bad_scenario |= wrong(format!(
                            "this link is from a newer Looplab (version {v}; this page reads up \
                             to {VERSION})"
                        ))
                    }
                    Err(_) => bad_scenario |= wrong("is not a version number".into()),
                },
                "code" => {
                    any_scenario = true;
                    packed_program = Some(value);
                }
                "in" => {
                    any_scenario = true;
                    packed_inputs = Some(value);
                }
                "preset" => {
                    any_scenario = true;
                    match presets::preset(&value) {
                        Some(p) => scenario.preset = p.key,
                        None => {
                            bad_scenario |=
                                wrong(format!("no preset is named \"{}\"", shorten(&value)))
                        }
                    }
                }
                "pool" => {
                    any_scenario = true;
                    match number(&value, POOL_SIZE.min as u64, POOL_SIZE.max as u64) {
                        Ok(n) => scenario.pool_size = n as u16,
                        Err(why) => bad_scenario |= wrong(why),
                    }
                }
                "seed" => {
                    any_scenario = true;
                    match number(&value, 0, u64::MAX) {
                        Ok(n) => scenario.seed = n,
                        Err(why) => bad_scenario |= wrong(why),
                    }
                }
                "speed" => match Speed::from_key(&value) {
                    Some(s) => {
                        any_scenario = true;
                        scenario.speed = s
                    }
                    None => {
                        bad_scenario |= wrong(format!(
                            "is not a speed (one of {})",
                            Speed::ALL.map(Speed::key).join(", ")
                        ))
                    }
                },
                "step" => {
                    any_scenario = true;
                    match number(&value, 0, MAX_STEP) {
                        Ok(n) => scenario.step = n,
                        Err(why) => bad_scenario |= wrong(why),
                    }
                }
                "route" => {
                    any_scenario = true;
                    match number(&value, 0, 999) {
                        Ok(n) => scenario.route = n as usize,
                        Err(why) => bad_scenario |= wrong(why),
                    }
                }
                "burst" | "rate" => {
                    any_scenario = true;
                    let s = if key == "burst" { BURST } else { RATE };
                    match number(&value, s.min as u64, s.max as u64) {
                        Ok(n) if key == "burst" => scenario.burst = n as u32,
                        Ok(n) => scenario.rate = n as u32,
                        Err(why) => bad_scenario |= wrong(why),
                    }
                }
                "load" => {
                    any_scenario = true;
                    match value.as_str() {
                        "1" | "" => scenario.load_ran = true,
                        "0" => scenario.load_ran = false,
                        _ => bad_scenario |= wrong("is 1 (the load test ran) or 0".into()),
                    }
                }
                k if k.starts_with("load.") => {
                    any_scenario = true;
                    if let Err(why) = set_load_field(&mut scenario.load_form, &k[5..], &value) {
                        bad_scenario |= wrong(why);
                    }
                }
                k if k.starts_with("cost.") => {
                    any_scenario = true;
                    let name = &k[5..];
                    let mut options = looplab_engine::Options::default();
                    match value.parse::<f64>() {
                        Ok(us) if options.set_cost(name, us).is_ok() => {
                            scenario.costs.push((name.to_owned(), us))
                        }
                        Ok(_) => {
                            bad_scenario |= wrong(format!(
                                "the engine has no cost \"{}\" or does not take that value",
                                shorten(name)
                            ))
                        }
                        Err(_) => bad_scenario |= wrong("is not a number of µs".into()),
                    }
                }
                "lesson" => match crate::lessons::find(&value) {
                    Some((index, _)) => lesson = Some(index),
                    None => drop(wrong(format!(
                        "no lesson is called \"{}\" (1 to {})",
                        shorten(&value),
                        crate::lessons::SOURCES.len()
                    ))),
                },
                "theme" => match value.as_str() {
                    "auto" | "" => link.theme = Theme::Auto,
                    "light" => link.theme = Theme::Light,
                    "dark" => link.theme = Theme::Dark,
                    _ => drop(wrong("is light, dark or auto".into())),
                },
                "embed" => match value.as_str() {
                    "" | "1" | "true" => embed = Some(embed.unwrap_or_default()),
                    "0" | "false" => embed = None,
                    _ => drop(wrong("is 1 or 0".into())),
                },
                "panes" | "editor" | "controls" | "autoplay" | "preview" => {
                    embed_keys.push((key.clone(), value))
                }
                _ => problems.push(format!(
                    "`{}` is not a key Looplab knows (ignored)",
                    shorten(&key)
                )),
            }
        }
        // The program and the inputs, decoded within bounds.
        if let Some(packed) = packed_program {
            match unpack(&packed, MAX_PROGRAM) {
                Ok(p) => scenario.program = Some(p),
                Err(why) => {
                    problems.push(format!("`code`: {why}"));
                    bad_scenario = true;
                }
            }
        }
        if let Some(packed) = packed_inputs {
            match unpack(&packed, MAX_INPUTS * 64).and_then(|t| read_inputs(&t)) {
                Ok(r) => scenario.recording = r,
                Err(why) => {
                    problems.push(format!("`in`: {why}"));
                    bad_scenario = true;
                }
            }
        }
        if let Some(e) = embed.as_mut() {
            for (key, value) in &embed_keys {
                if let Err(why) = set_embed_option(e, key, value) {
                    problems.push(format!("`{key}`: {why}"));
                }
            }
        } else if let Some((key, _)) = embed_keys.first() {
            problems.push(format!("`{key}` applies only to an embed (add `embed=1`)"));
        }
        link.embed = embed;
        if let Some(index) = lesson {
            // In a lesson's link, `step` is the lesson's (1-based).
            let steps = crate::lessons::all()[index].steps.len() as u64;
            if scenario.step > steps {
                problems.push(format!("`step`: the lesson has {steps} steps"));
            }
            link.lesson = Some((index, scenario.step.clamp(1, steps) as usize - 1));
            link.scenario = None;
            link.problems = problems;
            return link;
        }
        link.scenario = (any_scenario && !bad_scenario).then_some(scenario);
        link.problems = problems;
        link
    }

    /// The notice a reader sees for a link that was not all good, or None.
    pub fn notice(&self) -> Option<String> {
        if self.problems.is_empty() {
            return None;
        }
        let opened = if self.scenario.is_some() || self.lesson.is_some() {
            "The rest of the link was opened"
        } else {
            "The default program was opened instead"
        };
        Some(format!(
            "This link could not be read in full: {}. {opened}.",
            self.problems.join("; ")
        ))
    }
}

impl Scenario {
    /// The fragment that opens this scenario (without `#`); `embed` adds its options.
    pub fn fragment(&self, embed: Option<&Embed>, theme: Theme) -> String {
        let d = Scenario::default();
        let mut pairs: Vec<(String, String)> = vec![("v".into(), VERSION.to_string())];
        let mut put = |k: &str, v: String| pairs.push((k.to_owned(), v));
        if self.preset != d.preset {
            put("preset", self.preset.to_owned());
        }
        if let Some(program) = &self.program {
            let preset_source = presets::preset(self.preset).map(|p| p.source);
            if preset_source != Some(program.as_str()) {
                put(
                    "code",
                    lz_str::compress_to_encoded_uri_component(program.as_str()),
                );
            }
        }
        if self.pool_size != d.pool_size {
            put("pool", self.pool_size.to_string());
        }
        if self.seed != d.seed {
            put("seed", self.seed.to_string());
        }
        for (name, us) in &self.costs {
            put(&format!("cost.{name}"), us.to_string());
        }
        if self.speed != d.speed {
            put("speed", self.speed.key().to_owned());
        }
        if self.route != d.route {
            put("route", self.route.to_string());
        }
        if self.burst != d.burst {
            put("burst", self.burst.to_string());
        }
        if self.rate != d.rate {
            put("rate", self.rate.to_string());
        }
        for (field, value) in load_fields(&self.load_form) {
            if Some(&value)
                != load_fields(&d.load_form)
                    .iter()
                    .find(|f| f.0 == field)
                    .map(|f| &f.1)
            {
                put(&format!("load.{field}"), value);
            }
        }
        if self.load_ran {
            put("load", "1".into());
        }
        let inputs = write_inputs(&self.recording);
        if !inputs.is_empty() {
            put(
                "in",
                lz_str::compress_to_encoded_uri_component(inputs.as_str()),
            );
        }
        if self.step != 0 {
            put("step", self.step.to_string());
        }
        if theme != Theme::Auto {
            put("theme", theme.key().to_owned());
        }
        if let Some(e) = embed {
            put("embed", "1".into());
            let de = Embed::default();
            if e.panes != de.panes {
                put(
                    "panes",
                    e.panes
                        .iter()
                        .map(|p| p.key())
                        .collect::<Vec<_>>()
                        .join(","),
                );
            }
            if e.editor != de.editor {
                let v = match e.editor {
                    EditorMode::Editable => "editable",
                    EditorMode::ReadOnly => "readonly",
                    EditorMode::Hidden => "hidden",
                };
                put("editor", v.into());
            }
            if !e.minimal_controls {
                put("controls", "full".into());
            }
            if e.autoplay {
                put("autoplay", "1".into());
            }
            if e.preview {
                put("preview", "1".into());
            }
        }
        if pairs.len() == 1 {
            // Only the version: the page as it opens, whose link is the page's address.
            return String::new();
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", escape(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Whether the compressed fields of this scenario's link fit what [`Link::parse`] reads;
    /// if not, which ones are too long (a run with very many requests: its link keeps the
    /// program and settings and opens at step 0).
    pub fn too_long(&self) -> Vec<&'static str> {
        let mut long = Vec::new();
        if let Some(p) = &self.program {
            if p.chars().count() > MAX_PROGRAM
                || lz_str::compress_to_encoded_uri_component(p.as_str()).len() > MAX_PACKED
            {
                long.push("code");
            }
        }
        let inputs = write_inputs(&self.recording);
        if lz_str::compress_to_encoded_uri_component(inputs.as_str()).len() > MAX_PACKED {
            long.push("in");
        }
        long
    }
}

/// The fragment of a lesson's step (both 0-based), with the embed options and theme.
pub fn lesson_fragment(index: usize, step: usize, embed: Option<&Embed>, theme: Theme) -> String {
    let rest = Scenario::default().fragment(embed, theme);
    let version = format!("v={VERSION}");
    let rest = rest.strip_prefix(version.as_str()).unwrap_or(&rest);
    format!("lesson={}&step={}{rest}", index + 1, step + 1)
}

/// `key=value` pairs, percent-decoded (a `+` stays a `+`: lz-string's alphabet uses it).
fn split(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (unescape(k), unescape(v))
        })
        .collect()
}

/// Percent-encodes what would break a fragment's `key=value&…` (and anything not ASCII).
fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(b as char),
            b'-' | b'_' | b'.' | b'~' | b'+' | b'$' | b',' | b'/' | b':' | b'@' | b'!' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Percent-decodes `v`; a broken escape is kept as it is, bytes that are not UTF-8 are
/// replaced.
fn unescape(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A value quoted in a notice, cut to 40 characters.
fn shorten(v: &str) -> String {
    if v.chars().count() <= 40 {
        v.to_owned()
    } else {
        format!("{}…", v.chars().take(40).collect::<String>())
    }
}

/// A whole number in `min..=max`, or why not.
fn number(v: &str, min: u64, max: u64) -> Result<u64, String> {
    match v.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(_) => Err(format!("{} is outside {min}–{max}", shorten(v))),
        Err(_)
            if v.trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit())
                && !v.is_empty() =>
        {
            Err(format!("{} is outside {min}–{max}", shorten(v)))
        }
        Err(_) => Err(format!("\"{}\" is not a whole number", shorten(v))),
    }
}

/// Decompresses an lz-string field, within bounds.
fn unpack(packed: &str, max_chars: usize) -> Result<String, String> {
    if packed.len() > MAX_PACKED {
        return Err(format!(
            "is {} characters compressed; a link carries at most {MAX_PACKED}",
            packed.len()
        ));
    }
    if packed
        .bytes()
        .any(|b| !(b.is_ascii_alphanumeric() || b"+-$".contains(&b)))
    {
        return Err(
            "is not lz-string's URI encoding (a character outside A–Z a–z 0–9 + - $)".into(),
        );
    }
    let wide = lz_str::decompress_from_encoded_uri_component(packed)
        .ok_or("could not be decompressed (the link may have been cut short)")?;
    if wide.len() > max_chars {
        return Err(format!(
            "decompresses to {} characters; at most {max_chars} are allowed",
            wide.len()
        ));
    }
    String::from_utf16(&wide).map_err(|_| "decompresses to text that is not valid Unicode".into())
}

/// The recorded inputs as text, one per line: `r<Δstep> <Δarrival µs> <METHOD> <url>` for a
/// request and `c<Δstep> <Δuntil µs>` for a cut sleep (differences from the previous line of
/// the same kind, so a burst compresses to almost nothing).
fn write_inputs(rec: &Recording) -> String {
    let mut out = String::new();
    let (mut step, mut at) = (0u64, 0i128);
    for (s, Input::Request { method, url, at: t }) in rec.inputs() {
        out.push_str(&format!(
            "r{} {} {method} {url}\n",
            s - step,
            t.0 as i128 - at
        ));
        step = s;
        at = t.0 as i128;
    }
    let (mut step, mut until) = (0u64, 0i128);
    for (s, u) in rec.cut_sleeps() {
        out.push_str(&format!("c{} {}\n", s - step, u.0 as i128 - until));
        step = s;
        until = u.0 as i128;
    }
    out
}

/// Reads [`write_inputs`]'s text back, or says which line is wrong.
fn read_inputs(text: &str) -> Result<Recording, String> {
    let mut requests = Vec::new();
    let mut cuts = Vec::new();
    let (mut rstep, mut at, mut cstep, mut until) = (0u64, 0i128, 0u64, 0i128);
    for (i, line) in text.lines().enumerate() {
        if requests.len() + cuts.len() >= MAX_INPUTS {
            return Err(format!("holds more than {MAX_INPUTS} inputs"));
        }
        let bad = || format!("line {} of the recorded inputs is not an input", i + 1);
        let mut chars = line.chars();
        let kind = chars.next();
        let parts: Vec<&str> = chars.as_str().splitn(4, ' ').collect();
        let int = |k: usize| -> Result<i128, String> {
            let f = parts.get(k).ok_or_else(bad)?;
            f.parse::<i128>()
                .ok()
                .filter(|n| n.unsigned_abs() < 1u128 << 64)
                .ok_or_else(bad)
        };
        match kind {
            Some('r') => {
                let (ds, da) = (int(0)?, int(1)?);
                let method = *parts.get(2).ok_or_else(bad)?;
                let url = *parts.get(3).ok_or_else(bad)?;
                if ds < 0 || !url.starts_with('/') || method.is_empty() {
                    return Err(bad());
                }
                rstep = rstep.checked_add(ds as u64).ok_or_else(bad)?;
                at += da;
                let t = u64::try_from(at).map_err(|_| bad())?;
                requests.push((
                    rstep,
                    Input::Request {
                        method: method.to_owned(),
                        url: url.to_owned(),
                        at: Micros(t),
                    },
                ));
            }
            Some('c') => {
                let (ds, du) = (int(0)?, int(1)?);
                if ds < 0 || parts.len() != 2 {
                    return Err(bad());
                }
                cstep = cstep.checked_add(ds as u64).ok_or_else(bad)?;
                until += du;
                cuts.push((cstep, Micros(u64::try_from(until).map_err(|_| bad())?)));
            }
            None => {}
            Some(_) => return Err(bad()),
        }
    }
    Ok(Recording::from_parts(requests, cuts))
}

/// The Load pane's fields as `(key, value)` text, in a fixed order.
fn load_fields(f: &LoadForm) -> Vec<(&'static str, String)> {
    vec![
        (
            "sender",
            match f.sender {
                Sender::Users => "users".into(),
                Sender::Rate => "rate".into(),
            },
        ),
        ("users", f.users.clone()),
        ("think", f.think_ms.clone()),
        ("rate", f.rate.clone()),
        ("duration", f.duration_s.clone()),
        ("mix", f.mix.clone()),
        ("db", f.db_latency_ms.clone()),
        ("compare", if f.compare { "1" } else { "0" }.into()),
    ]
}

fn set_load_field(f: &mut LoadForm, field: &str, value: &str) -> Result<(), String> {
    if value.len() > 2_000 {
        return Err("is longer than 2,000 characters".into());
    }
    let v = value.to_owned();
    match field {
        "sender" => {
            f.sender = match value {
                "users" => Sender::Users,
                "rate" => Sender::Rate,
                _ => return Err("is users or rate".into()),
            }
        }
        "users" => f.users = v,
        "think" => f.think_ms = v,
        "rate" => f.rate = v,
        "duration" => f.duration_s = v,
        "mix" => f.mix = v,
        "db" => f.db_latency_ms = v,
        "compare" => f.compare = value != "0",
        _ => return Err("is not a field of the Load pane".into()),
    }
    Ok(())
}

fn set_embed_option(e: &mut Embed, key: &str, value: &str) -> Result<(), String> {
    let flag = |v: &str| match v {
        "" | "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err("is 1 or 0".to_owned()),
    };
    match key {
        "panes" => {
            let mut panes = Vec::new();
            for name in value.split(',').filter(|n| !n.is_empty()) {
                match Pane::from_key(name) {
                    Some(p) => panes.push(p),
                    None => {
                        return Err(format!(
                            "\"{}\" is not a pane (one of {})",
                            shorten(name),
                            Pane::ALL.map(Pane::key).join(", ")
                        ))
                    }
                }
            }
            if panes.is_empty() {
                return Err("names no pane".into());
            }
            panes.sort();
            panes.dedup();
            e.panes = panes;
        }
        "editor" => {
            e.editor = match value {
                "editable" | "full" => EditorMode::Editable,
                "readonly" => EditorMode::ReadOnly,
                "hidden" => EditorMode::Hidden,
                _ => return Err("is readonly, hidden or editable".into()),
            }
        }
        "controls" => {
            e.minimal_controls = match value {
                "minimal" => true,
                "full" => false,
                _ => return Err("is minimal or full".into()),
            }
        }
        "autoplay" => e.autoplay = flag(value)?,
        "preview" => e.preview = flag(value)?,
        _ => return Err("is not an embed option".into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(step: u64, url: &str, at: u64) -> (u64, Input) {
        (
            step,
            Input::Request {
                method: "GET".into(),
                url: url.into(),
                at: Micros(at),
            },
        )
    }

    fn busy_scenario() -> Scenario {
        let requests = (0..300u64)
            .map(|i| {
                request(
                    40 + i / 10,
                    &format!("/users/{}", i + 1),
                    1_000_000 + 997 * i,
                )
            })
            .chain([request(400, "/search?q=a%20b&n=1", 2_000_000)])
            .chain([request(401, "/late", 1_500_000)])
            .collect();
        let cuts = (0..50u64)
            .map(|i| (41 + 3 * i, Micros(1_000_500 + 20_000 * i)))
            .collect();
        Scenario {
            preset: "blocked-loop",
            program: Some("const é = '&=#%+'; // ünïcode\nconsole.log(é);\n".into()),
            pool_size: 9,
            seed: 1234567890123,
            costs: vec![("dbLatency".into(), 2500.0)],
            speed: Speed::Max,
            route: 2,
            burst: 100,
            rate: 250,
            load_form: LoadForm {
                sender: Sender::Users,
                users: "10000".into(),
                mix: "GET /users/:id=9\nGET /login=1".into(),
                ..LoadForm::default()
            },
            load_ran: true,
            recording: Recording::from_parts(requests, cuts),
            step: 420,
        }
    }

    #[test]
    fn a_scenario_survives_its_link() {
        let sc = busy_scenario();
        let fragment = sc.fragment(None, Theme::Auto);
        let link = Link::parse("", &fragment);
        assert_eq!(link.problems, Vec::<String>::new());
        assert_eq!(link.scenario.as_ref(), Some(&sc));
        assert_eq!(link.embed, None);
        // Hand-editable numbers, compressed program and inputs.
        for key in [
            "v=1&",
            "pool=9",
            "seed=1234567890123",
            "speed=max",
            "step=420",
            "load=1",
        ] {
            assert!(fragment.contains(key), "{key} in {fragment}");
        }
        assert!(
            !fragment.contains("console.log"),
            "the program is compressed"
        );
        // A burst of 300 requests costs a few hundred characters.
        assert!(fragment.len() < 2_000, "{} characters", fragment.len());
    }

    #[test]
    fn the_page_as_it_opens_is_just_its_address() {
        assert_eq!(Scenario::default().fragment(None, Theme::Auto), "");
        assert_eq!(Link::parse("", ""), Link::default());
        // A preset's own program is named, not carried.
        let sc = Scenario {
            preset: "blocked-loop",
            program: Some(presets::preset("blocked-loop").unwrap().source.into()),
            ..Scenario::default()
        };
        assert_eq!(sc.fragment(None, Theme::Auto), "v=1&preset=blocked-loop");
    }

    #[test]
    fn embed_options_come_from_the_query_or_the_fragment() {
        let link = Link::parse(
            "embed",
            "panes=stack,loop,loop&editor=hidden&controls=full&autoplay&preview=1&theme=dark",
        );
        let e = link.embed.clone().unwrap();
        assert_eq!(e.panes, vec![Pane::Loop, Pane::Stack]);
        assert_eq!(e.editor, EditorMode::Hidden);
        assert!(!e.minimal_controls && e.autoplay && e.preview);
        assert!(!e.shows(Pane::Editor) && e.shows(Pane::Loop));
        assert_eq!(link.theme, Theme::Dark);
        assert_eq!(
            link.scenario, None,
            "embed options alone are not a scenario"
        );
        assert!(link.problems.is_empty(), "{:?}", link.problems);
        // Written and read back.
        let again = Link::parse("", &Scenario::default().fragment(Some(&e), Theme::Dark));
        assert_eq!(again.embed, Some(e));
        assert_eq!(again.theme, Theme::Dark);
    }

    /// Parses `fragment` and returns its notice, asserting the default page opens.
    fn refused(fragment: &str) -> String {
        let link = Link::parse("", fragment);
        assert_eq!(link.scenario, None, "{fragment}");
        link.notice().expect("a notice")
    }

    #[test]
    fn a_damaged_or_hostile_link_opens_the_default_page_and_says_what_was_wrong() {
        let good = busy_scenario().fragment(None, Theme::Auto);
        let code = good.split('&').find(|p| p.starts_with("code=")).unwrap();
        // Bad characters, cut short.
        let n = refused("code=%%%not*lz");
        assert!(n.contains("`code`") && n.contains("lz-string"), "{n}");
        let cut = &code[..code.len() / 2];
        let n = refused(cut);
        assert!(n.contains("`code`"), "{n}");
        // A huge program: refused before it is decompressed ...
        let long = format!("code={}", "A".repeat(MAX_PACKED + 1));
        assert!(refused(&long).contains("at most 16384"));
        // ... and a small field that decompresses to a lot.
        let bomb = lz_str::compress_to_encoded_uri_component("a".repeat(MAX_PROGRAM + 1).as_str());
        assert!(bomb.len() < 2_000, "{}", bomb.len());
        let n = refused(&format!("code={bomb}"));
        assert!(n.contains("decompresses to 100001 characters"), "{n}");
        // Numbers out of range, not numbers, unknown presets, a future version.
        assert!(refused("pool=1000000000").contains("`pool`: 1000000000 is outside 1–16"));
        assert!(refused("pool=-3").contains("outside"));
        assert!(refused("step=1e9").contains("not a whole number"));
        assert!(refused("speed=warp").contains("is not a speed"));
        assert!(refused("preset=<script>").contains("no preset is named \"<script>\""));
        assert!(refused("v=9&pool=2").contains("newer Looplab"));
        assert!(refused("cost.nope=1").contains("no cost \"nope\""));
        assert!(refused("load.sender=robots").contains("users or rate"));
        // Damaged inputs.
        let inputs = lz_str::compress_to_encoded_uri_component("r0 5 GET /a\nx1 2\n");
        assert!(refused(&format!("in={inputs}")).contains("line 2 of the recorded inputs"));
        let inputs = lz_str::compress_to_encoded_uri_component("r-1 5 GET /a\n");
        assert!(refused(&format!("in={inputs}")).contains("line 1"));
        // Every problem is listed, and the reader is told the default page opened.
        let n = refused("pool=0&speed=0");
        assert!(n.contains("`pool`") && n.contains("`speed`") && n.contains("default program"));
        // A link past the length read at all.
        assert!(refused(&"x".repeat(MAX_LINK + 1)).contains("characters long"));
    }

    #[test]
    fn unknown_keys_and_bad_embed_options_are_named_but_do_not_cost_the_scenario() {
        let link = Link::parse(
            "",
            "pool=2&colour=blue&embed=1&panes=loop,heap&editor=rainbow",
        );
        assert_eq!(link.scenario.as_ref().map(|s| s.pool_size), Some(2));
        let n = link.notice().unwrap();
        assert!(n.contains("`colour` is not a key"), "{n}");
        assert!(n.contains("\"heap\" is not a pane"), "{n}");
        assert!(n.contains("`editor`: is readonly"), "{n}");
        assert!(n.contains("The rest of the link was opened"), "{n}");
        assert_eq!(
            link.embed,
            Some(Embed::default()),
            "the bad options keep their defaults"
        );
        let n = Link::parse("", "panes=loop").notice().unwrap();
        assert!(n.contains("only to an embed"), "{n}");
    }

    #[test]
    fn percent_escapes_round_trip_and_broken_ones_are_kept() {
        for v in ["a&b=c#d%e f", "ünï", "%", "%4", "%zz", "/users/:id=9\n"] {
            assert_eq!(unescape(&escape(v)), v);
        }
        assert_eq!(unescape("%4"), "%4");
        assert_eq!(unescape("%e2%82%ac"), "€");
        assert_eq!(unescape("%ff"), "\u{fffd}");
    }

    #[test]
    fn a_link_carries_a_burst_of_a_thousand_requests_and_a_steady_rate_of_about_three_thousand() {
        // A burst: every request at the same step and instant.
        let burst: Vec<_> = (0..1000u64)
            .map(|i| request(40, &format!("/users/{}", i + 1), 1_000_000))
            .collect();
        let rec = Recording::from_parts(burst, Vec::new());
        let packed = lz_str::compress_to_encoded_uri_component(write_inputs(&rec).as_str());
        assert!(packed.len() < MAX_PACKED / 2, "{} characters", packed.len());
        // A steady rate: a request every few steps, each with a cut sleep.
        let n = 3000u64;
        let rate: Vec<_> = (0..n)
            .map(|i| {
                request(
                    50 + 7 * i,
                    &format!("/users/{}", i + 1),
                    1_000_000 + 10_000 * i,
                )
            })
            .collect();
        let cuts = (0..n)
            .map(|i| (51 + 7 * i, Micros(1_005_000 + 10_000 * i)))
            .collect();
        let sc = Scenario {
            recording: Recording::from_parts(rate, cuts),
            ..Scenario::default()
        };
        let packed =
            lz_str::compress_to_encoded_uri_component(write_inputs(&sc.recording).as_str());
        assert!(packed.len() <= MAX_PACKED, "{} characters", packed.len());
        assert!(sc.too_long().is_empty());
    }
}
