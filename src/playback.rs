//! Playback: how wall time becomes steps. Plain Rust over a [`Runner`], with the wall clock
//! passed in, so every pace is tested natively; the page's frame loop (`app.rs`) only calls
//! [`Pacer::frame`] once per animation frame and shows the view when something moved.
//!
//! Three paces: so many steps a second (the eye follows each step), virtual time at a multiple
//! of wall time (real time, 10×), and as many steps as fit in a frame's budget (max). None may
//! build up a debt the browser cannot pay back: a hidden tab owes at most one step, and a
//! virtual clock that fell behind the frame budget restarts from where the run is.

use looplab_engine::looplab_model::{Micros, Step};

use crate::runner::Runner;

/// Wall-clock budget for stepping in one animation frame (ms), leaving time to render.
pub const FRAME_BUDGET_MS: f64 = 12.0;

/// How the playback hook turns wall time into steps.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Pacing {
    StepsPerSecond(f64),
    /// Virtual µs per wall ms.
    Virtual(f64),
    Max,
}

/// How many animation frames the page lets pass after it drew a view of a playing run before it
/// tells the simulation so (the simulation posts its next view then): every other frame (30
/// views a second) at the stepped and real-time paces, every fourth (15) at max speed.
///
/// WHY: at max speed the simulation's thread needs a whole core, and each view the page draws
/// costs its main thread and the browser's raster threads about as much as a frame (the panes'
/// new text laid out and painted). On the two-core machine of README's Benchmarks, during the
/// "10,000 users" preset (a Chromium trace): at 30 views a second the page's threads were busy
/// 67 s over a 47 s run, and the worker shared a core with them; at 10 views a second, 34 s
/// over 35 s. Fifteen a second still reads as motion, halved the frames over 20 ms (median of
/// runs 4.9 % -> 2.2 %) and shortened the run a little (42.9 -> 40.5 s); what is left of its
/// time is the worker's own (about 33 s of CPU). A command (a step, a jump, Pause) is answered
/// at once whatever the pace.
pub fn frames_before_drawn(pacing: Option<Pacing>) -> u32 {
    match pacing {
        Some(Pacing::Max) => 4,
        _ => 2,
    }
}

/// Counts whole steps owed at a steps-per-second pace: `carry` accumulates fractions.
/// Returns (steps to take now, new carry). A long pause (a hidden tab) owes at most one step.
pub fn steps_owed(carry: f64, elapsed_ms: f64, per_second: f64) -> (u32, f64) {
    let total =
        (carry + elapsed_ms.clamp(0.0, 1000.0) * per_second / 1000.0).min(1.0 + per_second / 60.0);
    let whole = total.floor();
    (whole as u32, total - whole)
}

/// What one frame of playback did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// Steps were taken: show the new view.
    Stepped(u32),
    /// Nothing was due yet (a slow pace between two steps).
    Nothing,
    /// A server waits for requests: nothing to step until one is sent.
    Idle,
    /// The program has exited: show it and stop.
    Exited,
}

/// One playback session's pacing state (a new one when the speed or play state changes).
#[derive(Clone, Debug)]
pub struct Pacer {
    pacing: Pacing,
    /// Timestamp of the previous frame.
    last: Option<f64>,
    /// Fractions of a step owed (steps-per-second paces); starts almost at one, so the first
    /// frame takes a step at once.
    carry: f64,
    /// Virtual time playback has reached (real-time paces), in µs.
    playhead: Option<u64>,
}

fn stops(s: Option<Step>) -> bool {
    matches!(s, None | Some(Step::Exited(_) | Step::AwaitingInput))
}

impl Pacer {
    pub fn new(pacing: Pacing) -> Pacer {
        Pacer {
            pacing,
            last: None,
            carry: 0.99,
            playhead: None,
        }
    }

    /// One animation frame at timestamp `ts` (ms): steps `runner` as the pace owes, reading
    /// the wall clock from `clock` (ms) to keep within [`FRAME_BUDGET_MS`].
    pub fn frame(&mut self, runner: &mut Runner, ts: f64, clock: &mut dyn FnMut() -> f64) -> Frame {
        self.frame_for(runner, ts, clock, FRAME_BUDGET_MS)
    }

    /// Like [`Pacer::frame`], within `budget_ms` of wall time (a worker's slice).
    pub fn frame_for(
        &mut self,
        runner: &mut Runner,
        ts: f64,
        clock: &mut dyn FnMut() -> f64,
        budget_ms: f64,
    ) -> Frame {
        let dt = self
            .last
            .replace(ts)
            .map(|l| ts - l)
            .unwrap_or(0.0)
            .clamp(0.0, 250.0);
        let started = clock();
        if runner.exited() {
            return Frame::Exited;
        }
        if runner.idle() {
            self.playhead = None;
            return Frame::Idle;
        }
        let mut steps = 0u32;
        match self.pacing {
            Pacing::StepsPerSecond(per_second) => {
                let (n, carry) = steps_owed(self.carry, dt, per_second);
                self.carry = carry;
                for _ in 0..n {
                    steps += 1;
                    if stops(runner.play_step(None)) {
                        break;
                    }
                }
            }
            Pacing::Virtual(us_per_ms) => {
                let now = runner.now().0;
                let head = self.playhead.unwrap_or(now) + (dt * us_per_ms) as u64;
                while runner.now().0 < head && clock() - started < budget_ms {
                    steps += 1;
                    if stops(runner.play_step(Some(Micros(head)))) {
                        break;
                    }
                }
                // Never build up a debt the browser cannot pay back.
                let behind = clock() - started >= budget_ms;
                self.playhead = Some(if behind {
                    runner.now().0.max(now)
                } else {
                    head
                });
            }
            Pacing::Max => {
                while clock() - started < budget_ms {
                    steps += 1;
                    if stops(runner.play_step(None)) {
                        break;
                    }
                }
            }
        }
        if steps > 0 {
            Frame::Stepped(steps)
        } else {
            Frame::Nothing
        }
    }
}

/// One frame of a long step back: replays within the frame's budget. True while there is more
/// to replay (come back next frame); false once the run is back (or nothing was replaying).
pub fn rewind_frame(runner: &mut Runner, clock: &mut dyn FnMut() -> f64) -> bool {
    rewind_frame_for(runner, clock, FRAME_BUDGET_MS)
}

/// Like [`rewind_frame`], within `budget_ms` of wall time (a worker's slice).
pub fn rewind_frame_for(
    runner: &mut Runner,
    clock: &mut dyn FnMut() -> f64,
    budget_ms: f64,
) -> bool {
    let started = clock();
    loop {
        match runner.rewind(32) {
            None => return false,
            Some(_) if clock() - started >= budget_ms => return true,
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::default_preset;
    use crate::runner::REWIND_AT_ONCE;

    #[test]
    fn max_speed_draws_a_view_every_fourth_frame() {
        assert_eq!(frames_before_drawn(Some(Pacing::Max)), 4);
        for slower in [
            None,
            Some(Pacing::StepsPerSecond(15.0)),
            Some(Pacing::Virtual(10_000.0)),
        ] {
            assert_eq!(frames_before_drawn(slower), 2, "{slower:?}");
        }
    }

    /// A wall clock that advances `per_read` ms each time it is read.
    fn ticking(per_read: f64) -> impl FnMut() -> f64 {
        let mut t = 0.0;
        move || {
            t += per_read;
            t
        }
    }

    fn server() -> Runner {
        let mut r = Runner::new(default_preset().source, 4);
        r.run_to_idle();
        r
    }

    #[test]
    fn steps_owed_accumulates_fractions_and_caps_long_pauses() {
        assert_eq!(steps_owed(0.0, 16.0, 1.0).0, 0);
        let (n, carry) = steps_owed(0.99, 16.0, 1.0);
        assert_eq!(n, 1);
        assert!(carry < 0.1);
        assert_eq!(steps_owed(0.0, 250.0, 4.0).0, 1);
        assert_eq!(
            steps_owed(0.0, 60_000.0, 4.0).0,
            1,
            "a hidden tab does not owe a minute of steps"
        );
        let (n, _) = steps_owed(0.0, 1000.0 / 60.0, 15.0);
        assert_eq!(n, 0);
    }

    #[test]
    fn four_steps_a_second_take_four_steps_in_a_second_of_frames() {
        let mut r = Runner::new(default_preset().source, 4);
        let mut p = Pacer::new(Pacing::StepsPerSecond(4.0));
        let mut clock = ticking(0.01);
        let mut taken = 0;
        // 61 frames, a second apart from first to last: four steps are owed.
        for i in 0..=60 {
            if let Frame::Stepped(n) = p.frame(&mut r, i as f64 * 1000.0 / 60.0, &mut clock) {
                taken += n;
            }
        }
        assert_eq!(taken, 4);
        assert_eq!(r.steps(), 4);
    }

    #[test]
    fn real_time_advances_virtual_time_with_wall_time() {
        let mut r = server();
        r.send_route("GET", "/users/:id");
        let t0 = r.now();
        let mut p = Pacer::new(Pacing::Virtual(1000.0));
        let mut clock = ticking(0.001);
        for i in 0..=30 {
            p.frame(&mut r, i as f64 * 10.0, &mut clock);
        }
        // 300 ms of frames: the request (≈20-30 ms of database) is done, and virtual time has
        // kept pace with the wall, no further.
        assert_eq!(r.view().requests.done, 1);
        assert!(r.now() <= t0 + Micros::from_ms(301), "{:?}", r.now());
        assert!(r.now() >= t0 + Micros::from_ms(290), "{:?}", r.now());
    }

    #[test]
    fn max_speed_stops_at_the_frame_budget() {
        let mut r = server();
        for _ in 0..200 {
            r.send_route("GET", "/users/:id");
        }
        let mut p = Pacer::new(Pacing::Max);
        // Each read of the clock is 1 ms: the frame ends after about 12 steps.
        let mut clock = ticking(1.0);
        match p.frame(&mut r, 0.0, &mut clock) {
            Frame::Stepped(n) => assert!((5..=13).contains(&n), "{n} steps"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_idle_server_and_an_exited_program_take_no_steps() {
        let mut r = server();
        let mut p = Pacer::new(Pacing::Max);
        assert_eq!(p.frame(&mut r, 0.0, &mut ticking(1.0)), Frame::Idle);
        let mut r = Runner::new("console.log(1)", 4);
        r.run_to_idle();
        assert_eq!(p.frame(&mut r, 16.0, &mut ticking(1.0)), Frame::Exited);
    }

    #[test]
    fn a_long_rewind_takes_several_frames_and_lands_one_step_back() {
        let mut r = server();
        for _ in 0..200 {
            r.send_route("GET", "/users/:id");
        }
        while r.steps() < REWIND_AT_ONCE + 50 {
            r.step();
        }
        let target = r.steps() - 1;
        // (Not from the history: a step before it.)
        r.forget_from(0);
        assert!(r.begin_step_back());
        let mut frames = 0;
        let mut clock = ticking(0.5);
        while rewind_frame(&mut r, &mut clock) {
            frames += 1;
            assert!(frames < 10_000);
        }
        assert!(frames > 1, "{frames} frames");
        assert_eq!(r.steps(), target);
        assert!(!rewind_frame(&mut r, &mut clock), "nothing left to replay");
    }
}
