//! A load test's result as people read it: autocannon's tables, clinic doctor's one line, and
//! one JSON object per server model.
//!
//! HOW: both servers' reports become a [`ModelReport`] (the shared [`Summary`], memory, and the
//! figures only one of them has). [`text`] lays them side by side, one column per model, in
//! autocannon's order: the latency table (2.5%, 50%, 97.5%, 99%, avg, stdev, max), the req/s
//! table over virtual seconds, "N requests in S s", then what autocannon cannot show: in
//! flight, memory, the loop's delay and utilisation, the thread server's threads and refusals.
//! [`diagnose`] names the loop's problem the way clinic doctor does, from rules with stated
//! thresholds (tested in `crates/engine/tests/load.rs`). JSON numbers are printed with fixed decimals, so the same run prints the same
//! bytes (the README documents every key).

use super::memory;
use super::run::LoopReport;
use super::stats::Summary;
use super::threads::ThreadReport;

/// One server's result.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelReport {
    Loop(LoopReport),
    Threads(ThreadReport),
}

impl ModelReport {
    pub fn name(&self) -> &'static str {
        match self {
            ModelReport::Loop(_) => "loop",
            ModelReport::Threads(_) => "threads",
        }
    }
    pub fn summary(&self) -> &Summary {
        match self {
            ModelReport::Loop(r) => &r.summary,
            ModelReport::Threads(r) => &r.summary,
        }
    }
    /// (reserved, resident) bytes at the peak.
    pub fn memory(&self) -> (u64, u64) {
        match self {
            ModelReport::Loop(r) => (r.peak_memory, r.peak_resident),
            ModelReport::Threads(r) => (r.peak_memory, r.peak_resident),
        }
    }

    /// One JSON object (keys documented in the README's `looplab load` section); `ram` is the
    /// machine's RAM budget in bytes (`--ram-mib`), which both servers' memory is shown against.
    pub fn to_json(&self, ram: u64) -> String {
        let s = self.summary();
        let l = &s.latency_ms;
        let (peak, resident) = self.memory();
        let mut out = format!(
            "{{\"model\":\"{}\",\"duration_s\":{:.3},\"sent\":{},\"requests\":{},\"errors\":{},\
             \"errors_by_kind\":{{\"refused\":{},\"timed_out\":{},\"server\":{}}},\
             \"throughput_rps\":{:.3},\
             \"latency_ms\":{{\"p50\":{:.3},\"p90\":{:.3},\"p99\":{:.3},\"max\":{:.3},\"mean\":{:.3},\"stdev\":{:.3}}},\
             \"in_flight\":{{\"now\":{},\"max\":{},\"mean\":{:.3}}},\
             \"memory_bytes\":{{\"peak\":{},\"peak_resident\":{},\"ram_budget\":{}}}",
            self.name(),
            s.duration_s,
            s.sent,
            s.requests,
            s.errors.total(),
            s.errors.refused,
            s.errors.timed_out,
            s.errors.server,
            s.throughput_rps,
            l.p50,
            l.p90,
            l.p99,
            l.max,
            l.mean,
            l.stdev,
            s.in_flight.now,
            s.in_flight.max,
            s.in_flight.mean,
            peak,
            resident,
            ram,
        );
        match self {
            ModelReport::Loop(r) => {
                let routes: Vec<String> = r
                    .cpu_by_route
                    .iter()
                    .map(|c| {
                        format!(
                            "{{\"route\":\"{}\",\"requests\":{},\"cpu_ms\":{:.3}}}",
                            escape(&c.route),
                            c.requests,
                            c.cpu_ms
                        )
                    })
                    .collect();
                out += &format!(
                    ",\"loop\":{{\"elu\":{:.4},\"delay_p50_ms\":{:.3},\"delay_p99_ms\":{:.3},\
                     \"delay_max_ms\":{:.3},\"pool_jobs\":{},\"pool_busy_mean\":{:.3},\
                     \"pool_busy_max\":{},\"pool_queue_wait_mean_ms\":{:.3},\"cpu_by_route\":[{}]}},\
                     \"diagnosis\":\"{}\"",
                    r.elu,
                    r.delay_p50_ms,
                    r.delay_p99_ms,
                    r.delay_max_ms,
                    r.pool_jobs,
                    r.pool_busy_mean,
                    r.pool_busy_max,
                    r.pool_queue_wait_mean_ms,
                    routes.join(","),
                    escape(&diagnose(r)),
                );
            }
            ModelReport::Threads(r) => {
                out += &format!(
                    ",\"threads\":{{\"peak\":{},\"cap\":{},\"refused\":{},\"creation_refused\":{},\
                     \"backlog_max\":{},\"cores_busy_mean\":{:.3},\"run_delay_p50_ms\":{:.3},\
                     \"run_delay_p99_ms\":{:.3},\"run_delay_max_ms\":{:.3}}}",
                    r.peak_threads,
                    r.thread_cap,
                    r.summary.errors.refused,
                    r.creation_refused,
                    r.backlog_max,
                    r.cores_busy_mean,
                    r.run_delay_p50_ms,
                    r.run_delay_p99_ms,
                    r.run_delay_max_ms,
                );
            }
        }
        out.push('}');
        out
    }
}

fn escape(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o
}

/// The loop's state in one line, clinic doctor's way: the first rule that fires.
/// - blocked by a route: delay p99 ≥ 20 ms (where Node's `monitorEventLoopDelay` users alarm)
///   and some route takes ≥ 5 ms of main-thread CPU per request (a synchronous stretch long
///   enough to show as delay) → the route with the most CPU per request is named;
/// - saturated: ELU ≥ 0.9, the thread is nearly never idle (many short callbacks, none to
///   blame alone);
/// - blocked, no single cause: delay p99 ≥ 20 ms otherwise;
/// - pool-bound: the pool's mean queue wait ≥ 5 ms;
/// - otherwise healthy, with the figures that show it.
pub fn diagnose(r: &LoopReport) -> String {
    let per_request = |c: &super::run::RouteCpu| c.cpu_ms / c.requests as f64;
    let worst = r
        .cpu_by_route
        .iter()
        .filter(|c| c.requests > 0)
        .max_by(|a, b| per_request(a).total_cmp(&per_request(b)));
    let heavy = worst.filter(|c| per_request(c) >= 5.0);
    if r.delay_p99_ms >= 20.0 {
        if let Some(c) = heavy {
            return format!(
                "the loop is blocked: p99 delay {:.0} ms, caused by {} ({:.1} ms of CPU per request on the main thread)",
                r.delay_p99_ms,
                c.route,
                per_request(c)
            );
        }
    }
    if r.elu >= 0.9 {
        let each = match worst {
            Some(c) => format!(", {:.2} ms of CPU each at most", per_request(c)),
            None => String::new(),
        };
        return format!(
            "the loop is saturated: ELU {:.2}, p99 delay {:.0} ms; up to {} requests in flight share one thread{each}",
            r.elu, r.delay_p99_ms, r.summary.in_flight.max
        );
    }
    if r.delay_p99_ms >= 20.0 {
        return format!(
            "the loop is blocked: p99 delay {:.0} ms, no single route to blame",
            r.delay_p99_ms
        );
    }
    if r.pool_queue_wait_mean_ms >= 5.0 {
        return format!(
            "the thread pool is the bottleneck: jobs wait {:.1} ms on average for one of its workers",
            r.pool_queue_wait_mean_ms
        );
    }
    format!(
        "the loop is healthy: p99 delay {:.1} ms, ELU {:.2}, {} in flight at most",
        r.delay_p99_ms, r.elu, r.summary.in_flight.max
    )
}

fn mb(b: u64) -> String {
    if b >= 1 << 30 {
        format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64)
    } else {
        format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64)
    }
}

/// Reserved memory against the RAM budget: "15.6 % of 1024 MiB", "OVER: 137.2 % of 64 MiB".
fn of_ram(bytes: u64, ram: u64) -> String {
    let share = 100.0 * bytes as f64 / ram.max(1) as f64;
    let over = if bytes > ram { "OVER: " } else { "" };
    format!("{over}{share:.1} % of {} MiB", ram >> 20)
}

/// The percentile of a sorted slice (nearest rank).
fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[i.clamp(1, sorted.len()) - 1]
}

/// autocannon's text: the table, one column per model; `ram` is the machine's RAM budget in bytes.
pub fn text(reports: &[ModelReport], ram: u64) -> String {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut row = |label: &str, f: &dyn Fn(&ModelReport) -> String| {
        rows.push((label.to_owned(), reports.iter().map(f).collect()));
    };
    row("", &|r| r.name().to_owned());
    row("Latency 50%", &|r| {
        format!("{:.1} ms", r.summary().latency_ms.p50)
    });
    row("Latency 90%", &|r| {
        format!("{:.1} ms", r.summary().latency_ms.p90)
    });
    row("Latency 99%", &|r| {
        format!("{:.1} ms", r.summary().latency_ms.p99)
    });
    row("Latency avg", &|r| {
        format!("{:.2} ms", r.summary().latency_ms.mean)
    });
    row("Latency stdev", &|r| {
        format!("{:.2} ms", r.summary().latency_ms.stdev)
    });
    row("Latency max", &|r| {
        format!("{:.1} ms", r.summary().latency_ms.max)
    });
    let per_second = |r: &ModelReport| {
        let mut v: Vec<f64> = r
            .summary()
            .seconds
            .iter()
            .map(|s| s.completed as f64)
            .collect();
        v.sort_by(f64::total_cmp);
        v
    };
    row("Req/Sec 2.5%", &|r| {
        format!("{:.0}", pct(&per_second(r), 2.5))
    });
    row("Req/Sec 50%", &|r| {
        format!("{:.0}", pct(&per_second(r), 50.0))
    });
    row("Req/Sec 97.5%", &|r| {
        format!("{:.0}", pct(&per_second(r), 97.5))
    });
    row("Req/Sec avg", &|r| {
        format!("{:.1}", r.summary().throughput_rps)
    });
    row("In flight max", &|r| r.summary().in_flight.max.to_string());
    row("In flight mean", &|r| {
        format!("{:.1}", r.summary().in_flight.mean)
    });
    row("Memory reserved", &|r| mb(r.memory().0));
    row("Memory resident", &|r| mb(r.memory().1));
    row("Memory of RAM", &|r| of_ram(r.memory().0, ram));
    row("Errors", &|r| {
        let e = r.summary().errors;
        format!(
            "{} ({} refused, {} timeouts, {} 5xx)",
            e.total(),
            e.refused,
            e.timed_out,
            e.server
        )
    });
    // The thread server has no loop: its counterpart is how late its slices of CPU ran.
    row("Loop / run-queue delay p50/p99", &|r| match r {
        ModelReport::Loop(l) => format!("{:.1} / {:.1} ms", l.delay_p50_ms, l.delay_p99_ms),
        ModelReport::Threads(t) => {
            format!("{:.1} / {:.1} ms", t.run_delay_p50_ms, t.run_delay_p99_ms)
        }
    });
    row("Loop utilisation", &|r| match r {
        ModelReport::Loop(l) => format!("{:.2}", l.elu),
        _ => "-".into(),
    });
    row("Pool busy / wait", &|r| match r {
        ModelReport::Loop(l) => format!(
            "{:.2} of {} max / {:.2} ms",
            l.pool_busy_mean, l.pool_busy_max, l.pool_queue_wait_mean_ms
        ),
        _ => "-".into(),
    });
    row("Threads peak / cap", &|r| match r {
        ModelReport::Threads(t) => format!("{} / {}", t.peak_threads, t.thread_cap),
        _ => "-".into(),
    });
    row("Cores busy", &|r| match r {
        ModelReport::Threads(t) => format!("{:.2}", t.cores_busy_mean),
        ModelReport::Loop(l) => format!("{:.2} (one thread)", l.elu),
    });
    let w0 = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..reports.len())
        .map(|i| {
            rows.iter()
                .map(|(_, c)| c[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (label, cells) in &rows {
        out += &format!("{label:w0$}");
        for (c, w) in cells.iter().zip(&widths) {
            out += &format!(" │ {c:>w$}");
        }
        out.push('\n');
    }
    out.push('\n');
    out += &format!("memory: {}\n", memory::explained());
    for r in reports {
        let s = r.summary();
        out += &format!(
            "{}: {} requests in {:.1} s (virtual), {} errors\n",
            r.name(),
            s.requests,
            s.duration_s,
            s.errors.total()
        );
        if let ModelReport::Loop(l) = r {
            out += &format!("diagnosis: {}\n", diagnose(l));
        }
    }
    out
}
