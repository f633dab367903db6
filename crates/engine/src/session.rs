//! A program run that can go backwards: deterministic replay.
//!
//! HOW: a JavaScript heap cannot be copied, so stepping back means starting again from the
//! same program, options and seed, and replaying the same inputs (synthetic requests, recorded
//! with the step count at which they were sent) up to the wanted step. Because the model and
//! the engine are deterministic, the replayed run passes through exactly the same states.
//! Cost: O(N) steps to reach step N; a few thousand steps replay in milliseconds natively.

use looplab_model::{Micros, ModelError, Phase, Step, TraceEvent};

use crate::{Engine, EngineError, Options, Output};

/// Something from outside the process, replayed at the same point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Request { method: String, url: String },
}

pub struct Session {
    source: String,
    filename: String,
    options: Options,
    engine: Engine,
    steps: u64,
    /// (steps done when it was sent, input)
    inputs: Vec<(u64, Input)>,
    /// (index of the step, its limit) for every step taken with `step_until`, so that replays
    /// cut the same poll sleeps at the same instants.
    limits: Vec<(u64, Micros)>,
    output: Vec<Output>,
    last_events: Vec<TraceEvent>,
    last_step: Option<Step>,
}

impl Session {
    pub fn new(source: &str, filename: &str, options: Options) -> Result<Session, EngineError> {
        let engine = Engine::new(source, filename, options.clone())?;
        Ok(Session {
            source: source.to_owned(),
            filename: filename.to_owned(),
            options,
            engine,
            steps: 0,
            inputs: Vec::new(),
            limits: Vec::new(),
            output: Vec::new(),
            last_events: Vec::new(),
            last_step: None,
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }
    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }
    pub fn steps(&self) -> u64 {
        self.steps
    }
    pub fn output(&self) -> &[Output] {
        &self.output
    }
    /// Trace events of the last step.
    pub fn last_events(&self) -> &[TraceEvent] {
        &self.last_events
    }
    pub fn last_step(&self) -> Option<Step> {
        self.last_step
    }
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// One model step (a whole callback when the step runs one).
    pub fn step(&mut self) -> Result<Step, ModelError> {
        self.step_bounded(None)
    }

    /// One step, but a sleep in poll ends at `limit` (for real-time playback).
    pub fn step_until(&mut self, limit: Micros) -> Result<Step, ModelError> {
        self.step_bounded(Some(limit))
    }

    fn step_bounded(&mut self, limit: Option<Micros>) -> Result<Step, ModelError> {
        if let Some(l) = limit {
            self.limits.push((self.steps, l));
        }
        let step = match limit {
            Some(l) => self.engine.step_until(l)?,
            None => self.engine.step()?,
        };
        self.steps += 1;
        self.last_events = self.engine.take_trace();
        self.output.extend(self.engine.take_output());
        self.last_step = Some(step);
        Ok(step)
    }

    /// Step until the loop enters another phase (or a callback runs, or the run ends).
    pub fn step_phase(&mut self) -> Result<Step, ModelError> {
        let start = self.engine.with_sim(|s| s.phase());
        let mut events = Vec::new();
        let step = loop {
            let step = self.step()?;
            events.extend(self.last_events.drain(..));
            let phase = self.engine.with_sim(|s| s.phase());
            if phase != start
                || matches!(step, Step::Exited(_) | Step::AwaitingInput)
                || events.len() > 100_000
            {
                break step;
            }
        };
        self.last_events = events;
        Ok(step)
    }

    /// Step until the next loop iteration starts (or the run ends).
    pub fn step_iteration(&mut self) -> Result<Step, ModelError> {
        let start = self.engine.with_sim(|s| (s.iteration(), s.phase()));
        let mut events = Vec::new();
        let step = loop {
            let step = self.step()?;
            events.extend(self.last_events.drain(..));
            let now = self.engine.with_sim(|s| (s.iteration(), s.phase()));
            let next_iteration =
                now.0 > start.0 || (start.1 == Phase::Main && now.1 != Phase::Main);
            if next_iteration
                || matches!(step, Step::Exited(_) | Step::AwaitingInput)
                || events.len() > 100_000
            {
                break step;
            }
        };
        self.last_events = events;
        Ok(step)
    }

    /// A client sends a request now; it is recorded so that replays send it at the same point.
    pub fn send_request(&mut self, method: &str, url: &str) -> Option<u64> {
        let id = self.engine.send_request(method, url)?;
        self.inputs.push((
            self.steps,
            Input::Request {
                method: method.into(),
                url: url.into(),
            },
        ));
        self.last_events = self.engine.take_trace();
        Some(id)
    }

    /// Go back one step (replaying from the start).
    pub fn step_back(&mut self) -> Result<(), ModelError> {
        let target = self.steps.saturating_sub(1);
        self.goto(target)
    }

    /// Replay from the start to exactly `target` steps.
    pub fn goto(&mut self, target: u64) -> Result<(), ModelError> {
        let engine = Engine::new(&self.source, &self.filename, self.options.clone())
            .map_err(|_| ModelError::Exited)?;
        let inputs = std::mem::take(&mut self.inputs);
        let limits = std::mem::take(&mut self.limits);
        let mut limits = limits.into_iter().peekable();
        self.engine = engine;
        self.steps = 0;
        self.output.clear();
        self.last_events.clear();
        self.last_step = None;
        let mut pending = inputs.iter().peekable();
        while self.steps < target {
            while let Some((at, input)) = pending.peek() {
                if *at != self.steps {
                    break;
                }
                let Input::Request { method, url } = input;
                self.engine.send_request(method, url);
                self.inputs.push((self.steps, input.clone()));
                pending.next();
            }
            let limit = match limits.peek() {
                Some(&(at, l)) if at == self.steps => {
                    limits.next();
                    Some(l)
                }
                _ => None,
            };
            if matches!(self.step_bounded(limit)?, Step::Exited(_)) {
                break;
            }
        }
        // Inputs sent at exactly `target` steps are replayed too (they happened before the
        // next step); later ones are forgotten, as a new future begins here.
        while let Some((at, input)) = pending.next() {
            if *at == self.steps {
                let Input::Request { method, url } = input;
                self.engine.send_request(method, url);
                self.inputs.push((self.steps, input.clone()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: &str = "const express = require('express');\nconst db = require('db');\nconst app = express();\n\
        app.get('/users/:id', async (req, res) => {\n  console.log('request', req.params.id);\n  const [user] = await db.query('SELECT * FROM users WHERE id = ?', [req.params.id]);\n  res.json(user);\n});\n\
        app.listen(3000, () => console.log('listening'));\n";

    fn snapshot_text(s: &Session) -> String {
        format!("{:?}", s.engine().snapshot(50))
    }

    #[test]
    fn stepping_back_replays_to_the_same_state() {
        let mut s = Session::new(SERVER, "/app/server.js", Options::default()).unwrap();
        for _ in 0..30 {
            s.step().unwrap();
        }
        assert_eq!(s.step().unwrap(), Step::AwaitingInput);
        s.send_request("GET", "/users/3").unwrap();
        s.send_request("GET", "/users/4").unwrap();
        let mut states = Vec::new();
        loop {
            states.push((s.steps(), snapshot_text(&s), s.output().to_vec()));
            if s.step().unwrap() == Step::AwaitingInput {
                break;
            }
            assert!(states.len() < 500);
        }
        let done = s.engine().requests();
        assert_eq!(done.len(), 2);
        assert!(done.iter().all(|r| r.status == Some(200)), "{done:?}");
        // Walk back through every recorded state.
        for (steps, snap, out) in states.into_iter().rev() {
            s.goto(steps).unwrap();
            assert_eq!(s.steps(), steps);
            assert_eq!(snapshot_text(&s), snap, "state at step {steps}");
            assert_eq!(s.output(), &out[..]);
        }
    }

    #[test]
    fn an_idle_server_sleeps_until_the_limit_and_replays_the_same_way() {
        let mut s = Session::new(SERVER, "/app/server.js", Options::default()).unwrap();
        while s.step().unwrap() != Step::AwaitingInput {}
        let now = s.engine().with_sim(|m| m.now());
        // With a limit the idle loop sleeps until it (a UI sends the next request then).
        assert_eq!(
            s.step_until(now + Micros::from_ms(200)).unwrap(),
            Step::Progress
        );
        assert_eq!(s.engine().with_sim(|m| m.now()), now + Micros::from_ms(200));
        s.send_request("GET", "/users/1").unwrap();
        for _ in 0..3 {
            s.step_until(now + Micros::from_ms(230)).unwrap();
        }
        let steps = s.steps();
        let snap = snapshot_text(&s);
        s.step().unwrap();
        s.goto(steps).unwrap();
        assert_eq!(snapshot_text(&s), snap);
        // Without a limit it still says it waits for input.
        let mut s = Session::new(SERVER, "/app/server.js", Options::default()).unwrap();
        while s.step().unwrap() != Step::AwaitingInput {}
        assert_eq!(s.step().unwrap(), Step::AwaitingInput);
    }

    #[test]
    fn step_phase_and_iteration_move_further_than_step() {
        let src = "setTimeout(() => console.log('a'), 5);\nsetImmediate(() => console.log('b'));\n";
        let mut s = Session::new(src, "/app/p.js", Options::default()).unwrap();
        s.step_iteration().unwrap();
        let it = s.engine().with_sim(|m| m.iteration());
        s.step_iteration().unwrap();
        assert_eq!(s.engine().with_sim(|m| m.iteration()), it + 1);
        let p = s.engine().with_sim(|m| m.phase());
        s.step_phase().unwrap();
        assert_ne!(s.engine().with_sim(|m| m.phase()), p);
        while !matches!(s.step().unwrap(), Step::Exited(_)) {}
        let text: String = s.output().iter().map(|o| o.text.as_str()).collect();
        assert_eq!(text, "b\na\n");
    }

    #[test]
    fn current_line_follows_the_running_callback() {
        let src = "setTimeout(() => {\n  console.log('x');\n}, 1);\n";
        let mut s = Session::new(src, "/app/l.js", Options::default()).unwrap();
        let mut lines = Vec::new();
        while !matches!(s.step().unwrap(), Step::Exited(_)) {
            if let Some(l) = s.engine().current_line() {
                lines.push(l);
            }
        }
        assert!(lines.contains(&1) && lines.contains(&2), "{lines:?}");
    }
}
