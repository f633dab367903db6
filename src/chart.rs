//! Line charts for the Load pane, as SVG geometry: scales, ticks, paths and the numbers' text.
//!
//! WHY by hand: a chart here is two or three polylines over one virtual time axis, redrawn a
//! few times a second. A plotting crate (plotters and its SVG backend) would draw the same
//! lines for a hundred-odd kilobytes more of wasm, and the page is within a few kilobytes of its
//! 1.3 MB budget. What decides anything (the axis's round maximum, the ticks, the path) is plain
//! Rust here, tested natively; `components/chart.rs` only lays the strings into SVG.

/// The chart's drawing area in SVG units (the SVG scales to its box).
pub const WIDTH: f64 = 300.0;
pub const HEIGHT: f64 = 120.0;

/// The smallest "round" number (1, 2 or 5 × 10^k) at or above `v`: the top of a y axis.
pub fn nice_max(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let exp = v.log10().floor();
    let base = 10f64.powf(exp);
    for m in [1.0, 2.0, 5.0, 10.0] {
        let top = m * base;
        // Round-off (0.30000000000000004) must not push 0.3 to the next step.
        if top >= v * (1.0 - 1e-12) {
            return top;
        }
    }
    10.0 * base
}

/// The top of a y axis in `unit`: a round number of req/s, ms or requests; for bytes a round
/// number of KiB, MiB or GiB (so the ticks read "512 MiB", not "477 MiB").
pub fn axis_max(v: f64, unit: Unit) -> f64 {
    if unit != Unit::Bytes || v < 1024.0 {
        return nice_max(v);
    }
    let scale = [1024f64.powi(3), 1024f64.powi(2), 1024.0]
        .into_iter()
        .find(|s| v >= *s)
        .unwrap_or(1.0);
    nice_max(v / scale) * scale
}

/// A tick's label: the number alone for rates and counts (the unit is in the chart's
/// title), with its unit for times and bytes.
pub fn tick(v: f64, unit: Unit) -> String {
    match unit {
        Unit::PerSecond | Unit::Count => short(v),
        _ => format(v, unit),
    }
}

/// Four ticks from 0 to `max` (inclusive), evenly spaced.
pub fn ticks(max: f64) -> [f64; 5] {
    [0.0, max / 4.0, max / 2.0, 3.0 * max / 4.0, max]
}

/// An SVG path through `points` (x in [0, x_max], y in [0, y_max]), y growing upwards.
pub fn path(points: &[(f64, f64)], x_max: f64, y_max: f64) -> String {
    let x_max = if x_max > 0.0 { x_max } else { 1.0 };
    let y_max = if y_max > 0.0 { y_max } else { 1.0 };
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        let px = (x / x_max).clamp(0.0, 1.0) * WIDTH;
        let py = HEIGHT - (y / y_max).clamp(0.0, 1.0) * HEIGHT;
        d.push_str(&format!(
            "{}{:.1} {:.1}",
            if i == 0 { "M" } else { " L" },
            px,
            py
        ));
    }
    d
}

/// How a chart's numbers are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    PerSecond,
    Ms,
    Count,
    Bytes,
}

/// `v` in `unit`, short: "1.2k req/s", "48 ms", "10,000", "1.5 GiB".
pub fn format(v: f64, unit: Unit) -> String {
    match unit {
        Unit::PerSecond => format!("{} req/s", short(v)),
        Unit::Ms => {
            if v >= 1000.0 {
                format!("{} s", trim(v / 1000.0))
            } else {
                format!("{} ms", trim(v))
            }
        }
        Unit::Count => short(v),
        Unit::Bytes => bytes(v),
    }
}

/// Bytes in KiB, MiB or GiB.
pub fn bytes(v: f64) -> String {
    const K: f64 = 1024.0;
    if v >= K * K * K {
        format!("{} GiB", trim(v / (K * K * K)))
    } else if v >= K * K {
        format!("{} MiB", trim(v / (K * K)))
    } else if v >= K {
        format!("{} KiB", trim(v / K))
    } else {
        format!("{} B", trim(v))
    }
}

/// 1234 → "1.2k", 12 → "12", 0.5 → "0.5".
fn short(v: f64) -> String {
    if v >= 1e6 {
        format!("{}M", trim(v / 1e6))
    } else if v >= 1e4 {
        format!("{}k", trim(v / 1e3))
    } else {
        trim(v)
    }
}

/// At most three significant figures, no trailing zeros.
fn trim(v: f64) -> String {
    let s = if v == 0.0 {
        "0".to_owned()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_axis_tops_at_a_round_number_at_or_above_the_data() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(f64::NAN), 1.0);
        assert_eq!(nice_max(1.0), 1.0);
        assert_eq!(nice_max(1.01), 2.0);
        assert_eq!(nice_max(3.0), 5.0);
        assert_eq!(nice_max(0.3), 0.5);
        assert_eq!(nice_max(7_400.0), 10_000.0);
        assert_eq!(nice_max(10_000.0), 10_000.0);
        assert_eq!(ticks(8.0), [0.0, 2.0, 4.0, 6.0, 8.0]);
        let gib = 1024f64.powi(3);
        assert_eq!(axis_max(1.5 * gib, Unit::Bytes), 2.0 * gib);
        assert_eq!(
            axis_max(191.0 * 1024.0 * 1024.0, Unit::Bytes),
            200.0 * 1024.0 * 1024.0
        );
        assert_eq!(axis_max(1500.0, Unit::PerSecond), 2000.0);
        assert_eq!(tick(2000.0, Unit::PerSecond), "2000");
        assert_eq!(tick(2500.0, Unit::Ms), "2.5 s");
    }

    #[test]
    fn a_path_maps_data_onto_the_box_with_y_upwards() {
        let d = path(
            &[(0.0, 0.0), (5.0, 50.0), (10.0, 100.0), (20.0, 300.0)],
            10.0,
            100.0,
        );
        assert_eq!(d, "M0.0 120.0 L150.0 60.0 L300.0 0.0 L300.0 0.0");
        assert_eq!(path(&[], 10.0, 1.0), "");
    }

    #[test]
    fn numbers_are_short_with_their_units() {
        assert_eq!(format(1667.0, Unit::PerSecond), "1667 req/s");
        assert_eq!(format(12_345.0, Unit::PerSecond), "12.3k req/s");
        assert_eq!(format(48.26, Unit::Ms), "48.3 ms");
        assert_eq!(format(1500.0, Unit::Ms), "1.5 s");
        assert_eq!(format(0.0, Unit::Count), "0");
        assert_eq!(format(10_000.0, Unit::Count), "10k");
        assert_eq!(bytes(8.0 * 1024.0 * 1024.0 * 1024.0), "8 GiB");
        assert_eq!(bytes(159_000_000.0), "152 MiB");
        assert_eq!(bytes(512.0), "512 B");
    }
}
