//! libuv's thread pool: one FIFO work queue, N worker threads, completions posted back.
//!
//! Mirrors libuv 1.46 `src/threadpool.c` (`post`, `worker`, `uv__work_done`, `init_threads`).
//!
//! HOW: `uv_queue_work` (and every fs, dns.lookup, crypto and zlib request in Node) appends a
//! request to the global queue `wq`. An idle worker takes the head, runs its `work` function (here:
//! it is busy for the request's cost in virtual time), then appends the request to the loop's
//! `loop->wq` and wakes the loop through an async handle. The loop notices that wake-up in its
//! poll phase and `uv__work_done` runs the `done` callbacks of everything finished so far, in
//! completion order. Work and completion are separate: a request finished while the loop thread
//! was busy waits for the next poll phase.
//!
//! WHY slow I/O is throttled: `dns.lookup` (getaddrinfo) is `UV__WORK_SLOW_IO`. Slow requests
//! wait in their own queue, represented in `wq` by a single marker, and at most
//! `(nthreads + 1) / 2` of them run at once, so a burst of slow DNS lookups cannot occupy every
//! thread and starve fs and crypto work.
//!
//! The pool starts on first use with `UV_THREADPOOL_SIZE` threads (default 4, 1..=1024); its
//! size cannot change afterwards. Workers are picked lowest index first (libuv wakes "an" idle
//! thread; which one is invisible to JavaScript).

use std::collections::VecDeque;

use crate::ids::{CallbackId, IdMap, LabelId, TaskId, WorkerId};
use crate::time::Micros;

/// libuv's `enum uv__work_kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WorkClass {
    /// `UV__WORK_CPU`: crypto, zlib.
    Cpu,
    /// `UV__WORK_FAST_IO`: file system requests.
    FastIo,
    /// `UV__WORK_SLOW_IO`: getaddrinfo (`dns.lookup`).
    SlowIo,
}

/// What a driver asks the pool to do.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkSpec {
    /// The operation's name, e.g. "fs.stat", "crypto.pbkdf2", "fs.readFile (read)".
    pub label: LabelId,
    /// How long a worker is busy with it.
    pub cost: Micros,
    pub class: WorkClass,
}

#[derive(Clone, Debug)]
pub struct WorkReq {
    pub callback: CallbackId,
    /// Frame name for the completion callback.
    pub frame: LabelId,
    pub spec: WorkSpec,
    pub submitted: Micros,
    pub started: Option<Micros>,
    pub finished: Option<Micros>,
    pub worker: Option<WorkerId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    Work(TaskId),
    /// `run_slow_work_message`: "run the head of the slow I/O queue".
    SlowMarker,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerState {
    Idle,
    Busy {
        task: TaskId,
        since: Micros,
        until: Micros,
        slow: bool,
    },
}

/// A state change the simulation turns into trace events and timeline entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Started {
    pub worker: WorkerId,
    pub task: TaskId,
    pub until: Micros,
}

#[derive(Clone, Debug)]
pub struct ThreadPool {
    /// Size used when the pool starts.
    pub configured: u16,
    /// Some once started (`init_once`).
    workers: Option<Vec<WorkerState>>,
    wq: VecDeque<Entry>,
    slow_pending: VecDeque<TaskId>,
    slow_running: u16,
    reqs: IdMap<WorkReq>,
    /// `loop->wq`: finished, waiting for `uv__work_done` on the loop thread.
    done: VecDeque<TaskId>,
    /// Most workers ever busy at once (a checked invariant: never above the size).
    pub peak_busy: u16,
    /// Running totals since the pool started (what a load test reads as deltas): requests
    /// started on a worker, their time waiting in `wq` before that, and the worker time they
    /// took (counted when each starts: a request's cost is known then).
    pub totals: PoolTotals,
}

/// Running totals of a pool (see [`ThreadPool::totals`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolTotals {
    pub started: u64,
    pub queue_wait: Micros,
    pub busy: Micros,
}

impl ThreadPool {
    pub fn new(size: u16) -> ThreadPool {
        ThreadPool {
            configured: size,
            workers: None,
            wq: VecDeque::new(),
            slow_pending: VecDeque::new(),
            slow_running: 0,
            reqs: IdMap::default(),
            done: VecDeque::new(),
            peak_busy: 0,
            totals: PoolTotals::default(),
        }
    }

    pub fn started(&self) -> bool {
        self.workers.is_some()
    }
    pub fn size(&self) -> u16 {
        self.workers
            .as_ref()
            .map(|w| w.len() as u16)
            .unwrap_or(self.configured)
    }
    pub fn workers(&self) -> &[WorkerState] {
        self.workers.as_deref().unwrap_or(&[])
    }
    pub fn req(&self, id: TaskId) -> Option<&WorkReq> {
        self.reqs.get(&id)
    }
    /// Requests submitted and whose `done` callback has not run: libuv's active requests.
    pub fn active_reqs(&self) -> usize {
        self.reqs.len()
    }
    pub fn busy(&self) -> u16 {
        self.workers()
            .iter()
            .filter(|w| matches!(w, WorkerState::Busy { .. }))
            .count() as u16
    }
    /// Requests waiting for a worker, in the order they will start (slow ones where their
    /// marker stands).
    pub fn waiting(&self) -> Vec<TaskId> {
        let mut out = Vec::with_capacity(self.wq.len() + self.slow_pending.len());
        for e in &self.wq {
            match e {
                Entry::Work(id) => out.push(*id),
                Entry::SlowMarker => out.extend(self.slow_pending.iter().copied()),
            }
        }
        out
    }
    pub fn done_queue(&self) -> &VecDeque<TaskId> {
        &self.done
    }

    fn threshold(&self) -> u16 {
        (self.size() + 1) / 2
    }

    /// `uv__work_submit` → `post()`. Starts the pool on first use.
    pub fn submit(&mut self, id: TaskId, req: WorkReq) {
        if self.workers.is_none() {
            self.workers = Some(vec![WorkerState::Idle; self.configured as usize]);
        }
        let slow = req.spec.class == WorkClass::SlowIo;
        self.reqs.insert(id, req);
        if slow {
            self.slow_pending.push_back(id);
            if self.wq.contains(&Entry::SlowMarker) {
                return; // the worker that runs the marker schedules this one too
            }
            self.wq.push_back(Entry::SlowMarker);
        } else {
            self.wq.push_back(Entry::Work(id));
        }
    }

    /// Idle workers take work, lowest index first, as libuv's `worker()` loop does.
    pub fn dispatch(&mut self, now: Micros, out: &mut Vec<Started>) {
        let n = self.workers().len();
        for w in 0..n {
            if self.workers()[w] != WorkerState::Idle {
                continue;
            }
            match self.pick() {
                Some((task, slow)) => {
                    let req = self.reqs.get_mut(&task).expect("queued request exists");
                    let until = now + req.spec.cost;
                    self.totals.started += 1;
                    self.totals.queue_wait += now - req.submitted;
                    self.totals.busy += req.spec.cost;
                    req.started = Some(now);
                    req.worker = Some(WorkerId(w as u16));
                    self.workers.as_mut().expect("started")[w] = WorkerState::Busy {
                        task,
                        since: now,
                        until,
                        slow,
                    };
                    out.push(Started {
                        worker: WorkerId(w as u16),
                        task,
                        until,
                    });
                }
                None => break,
            }
        }
        self.peak_busy = self.peak_busy.max(self.busy());
    }

    /// The body of libuv's `worker()` loop, up to running `w->work`.
    fn pick(&mut self) -> Option<(TaskId, bool)> {
        loop {
            // Keep waiting while no work is present, or only slow I/O at the threshold.
            let only_marker_at_threshold = self.wq.len() == 1
                && self.wq.front() == Some(&Entry::SlowMarker)
                && self.slow_running >= self.threshold();
            if self.wq.is_empty() || only_marker_at_threshold {
                return None;
            }
            match self.wq.pop_front()? {
                Entry::Work(id) => return Some((id, false)),
                Entry::SlowMarker => {
                    if self.slow_running >= self.threshold() {
                        self.wq.push_back(Entry::SlowMarker);
                        continue;
                    }
                    let Some(id) = self.slow_pending.pop_front() else {
                        continue;
                    };
                    self.slow_running += 1;
                    if !self.slow_pending.is_empty() {
                        self.wq.push_back(Entry::SlowMarker);
                    }
                    return Some((id, true));
                }
            }
        }
    }

    /// Worker `w` finished its request at `now`: post it to `loop->wq`.
    pub fn complete(&mut self, w: WorkerId, now: Micros) -> Option<TaskId> {
        let workers = self.workers.as_mut()?;
        let WorkerState::Busy { task, slow, .. } = *workers.get(w.0 as usize)? else {
            return None;
        };
        workers[w.0 as usize] = WorkerState::Idle;
        if slow {
            self.slow_running -= 1;
        }
        if let Some(req) = self.reqs.get_mut(&task) {
            req.finished = Some(now);
        }
        self.done.push_back(task);
        Some(task)
    }

    /// `uv__work_done`: take everything finished so far.
    pub fn take_done(&mut self) -> VecDeque<TaskId> {
        std::mem::take(&mut self.done)
    }

    /// The `done` callback of `id` is about to run: the request stops being active.
    pub fn retire(&mut self, id: TaskId) -> Option<WorkReq> {
        self.reqs.remove(&id)
    }
}
