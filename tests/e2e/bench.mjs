// Browser benchmark of the release build in dist/ (headless Chromium, playwright-core): how fast
// the page steps at max speed, how long a step back takes after many steps, how long a frame
// takes while 1,000 requests are in flight, what one callback costs in the page, and what the
// simulation's Web Worker buys: cold start, frames and Pause during a heavy script, Stop on a
// runaway loop, the worker's heap under a steady rate, the Load pane's presets to their end,
// frames under a steady rate at max speed, and time travel on a long run (11) and on runs whose
// every step is kept (12: the 1,000-request burst, 100,000 steps of a load). Not a test: it prints
// medians and asserts nothing. Run: scripts/bench-browser.sh (builds dist/ first), or node bench.mjs.
// SECTIONS=5,6 runs only those sections.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.LOOPLAB_DIST ?? join(here, '..', '..', 'dist'));
const RUNS = Number(process.env.RUNS ?? 3);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

const server = await startServer({ root: DIST });
const browser = await launchChromium();

const stepNumber = (page) =>
  page.evaluate(() =>
    Number(document.querySelector('.caption-step')?.textContent.replace(/\D/g, '') || 0),
  );

/**
 * Time travel over the run the page shows (paused): 20 jumps to different blocks of the timeline,
 * in an order that goes back and forth over the history (a click at a random x lands mostly in
 * the long waits of a load run, where one step spans most of the time: those jumps changed
 * little but the caption), and one step back after each. Each time is from the click to the
 * frame that shows the new step. Returns the figures and the history's bytes and first step.
 */
async function timeTravel(page) {
  const steps = await stepNumber(page);
  const bytes = Number(await page.getByTestId('timeline').getAttribute('data-history-bytes'));
  const from = Number(await page.getByTestId('timeline').getAttribute('data-history-from'));
  const jumps = [];
  const backs = [];
  const targets = Array.from({ length: 20 }, (_, i) => ((i * 7) % 20) + 0.5);
  const landed = new Set();
  let givenUp = 0;
  for (const target of targets) {
    jumps.push(
      await page.evaluate(async (target) => {
        const lanes = document.querySelector('.tl-lanes');
        const step = document.querySelector('.caption-step');
        const before = step?.textContent;
        // The block, looked up at each click (the strip may have been laid out again).
        const blocks = [
          ...document.querySelectorAll('.tl-lane-main [data-testid="timeline-block"]'),
        ].filter(
          (b) =>
            Number(b.dataset.step) >
            Number(document.querySelector('[data-testid="timeline"]').dataset.historyFrom),
        );
        const block = blocks[Math.floor((target * blocks.length) / 20)];
        const r = (block ?? lanes).getBoundingClientRect();
        const at = {
          clientX: r.left + r.width / 2,
          clientY: r.top + r.height / 2,
          bubbles: true,
          button: 0,
        };
        const t0 = performance.now();
        lanes.dispatchEvent(new PointerEvent('pointerdown', at));
        lanes.dispatchEvent(new PointerEvent('pointerup', at));
        // (A click on the step shown changes nothing: given up after a second.)
        return await new Promise((done) => {
          const check = () =>
            document.querySelector('.caption-step')?.textContent !== before
              ? done(performance.now() - t0)
              : performance.now() - t0 > 1000
                ? done(null)
                : requestAnimationFrame(check);
          check();
        });
      }, target),
    );
    if (jumps.at(-1) === null) {
      // Counted, and waited out: its view must not land inside the next measurement.
      jumps.pop();
      givenUp++;
      await page.waitForFunction(() => document.documentElement.dataset.sim === 'idle');
    } else {
      landed.add(await stepNumber(page));
    }
    if ((await stepNumber(page)) > from + 1) backs.push(await timedClick(page, 'step-back'));
  }
  return { steps, bytes, from, jumps, backs, landed, givenUp };
}

/** One line of a time-travel bench. */
const travelLine = (what, t) =>
  `bench: time travel on ${what}: jump by timeline median ${fmt(median(t.jumps))} (worst ${fmt(Math.max(...t.jumps))}; ${t.jumps.length} jumps to ${t.landed.size} different steps${t.givenUp ? `, ${t.givenUp} clicks changed nothing` : ''}), one step back median ${fmt(median(t.backs))} (worst ${fmt(Math.max(...t.backs))}), history ${(t.bytes / 2 ** 20).toFixed(1)} MiB = ${Math.round(t.bytes / Math.max(1, t.steps - t.from))} bytes/step (steps ${t.from}-${t.steps}${t.from === 0 ? ', every step kept' : ''})`;

/** Clicks a control and waits (in the page) until the caption's step number changes; returns ms. */
const timedClick = (page, testId) =>
  page.evaluate(async (testId) => {
    const step = document.querySelector('.caption-step');
    const before = step?.textContent;
    const t0 = performance.now();
    document.querySelector(`[data-testid="${testId}"]`).click();
    await new Promise((done) => {
      const check = () =>
        document.querySelector('.caption-step')?.textContent !== before
          ? done()
          : requestAnimationFrame(check);
      check();
    });
    return performance.now() - t0;
  }, testId);

async function openServer() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.locator('[data-testid="caption"]').waitFor();
  await page.getByTestId('speed').selectOption('max');
  await page.getByTestId('play').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="caption"]')?.textContent.includes('The server is idle'),
  );
  await page.getByTestId('pause').click();
  return page;
}

/** A fresh page whose simulation is idle (nothing loaded into it but the default program). */
async function openIdle() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.locator('[data-testid="caption"]').waitFor();
  await page.waitForFunction(() => document.documentElement.dataset.sim === 'idle');
  return page;
}

/** Sends a burst of `n` requests from the Requests pane. */
async function sendBurst(page, n) {
  await page.getByTestId('burst-size').fill(String(n));
  await page.getByTestId('burst-size').dispatchEvent('change');
  await page.getByTestId('send-burst').click();
}

/** Plays until `n` requests are answered (at most `timeout` ms). */
async function playUntilAnswered(page, n, timeout) {
  await page.getByTestId('play').click();
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="requests-done"]')?.textContent === String(n),
    n,
    { timeout },
  );
}

/** Starts recording the gaps between the page's animation frames; `frameGaps` stops and reads
 * them (ms). */
const recordFrames = (page) =>
  page.evaluate(() => {
    const gaps = [];
    let last = performance.now();
    let on = true;
    const tick = (t) => {
      gaps.push(t - last);
      last = t;
      if (on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    window.__frameGaps = () => {
      on = false;
      return gaps;
    };
  });
const frameGaps = (page) => page.evaluate(() => window.__frameGaps());
const sortedGaps = async (page) => (await frameGaps(page)).sort((a, b) => a - b);

const SECTIONS = process.env.SECTIONS ? new Set(process.env.SECTIONS.split(',').map(Number)) : null;
const want = (n) => !SECTIONS || SECTIONS.has(n);

/** A fresh page with `source` loaded into the editor (not run yet). */
async function openWith(source) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.locator('[data-testid="caption"]').waitFor();
  await page.locator('[data-testid="program-editor"] textarea').fill(source);
  return page;
}

try {
  if (want(0)) {
    // 0. A step back right after start-up: mostly the cost of a fresh engine (Node's layer).
    {
      const early = [];
      let at = 0;
      for (let run = 0; run < RUNS; run++) {
        const page = await openServer();
        at = await stepNumber(page);
        early.push(await timedClick(page, 'step-back'));
        await page.close();
      }
      console.log(
        `bench: step back at step ${at} (server just listening): median ${fmt(median(early))} (${RUNS} runs)`,
      );
    }
  }
  if (want(1)) {
    // 1. Max speed through a burst of 1,000 database requests.
    const rates = [];
    const backs = [];
    let steps = 0;
    for (let run = 0; run < RUNS; run++) {
      const page = await openServer();
      await sendBurst(page, 1000);
      const s0 = await stepNumber(page);
      const t0 = await page.evaluate(() => performance.now());
      await playUntilAnswered(page, 1000, 120_000);
      const t1 = await page.evaluate(() => performance.now());
      await page.getByTestId('pause').click();
      steps = await stepNumber(page);
      rates.push(((steps - s0) / (t1 - t0)) * 1000);
      // 2. One step back from there: a replay of every step from the start.
      backs.push(await timedClick(page, 'step-back'));
      await page.close();
    }
    console.log(
      `bench: max speed through 1000 requests: median ${Math.round(median(rates))} steps/s (${RUNS} runs)`,
    );
    console.log(`bench: step back at step ${steps}: median ${fmt(median(backs))} (${RUNS} runs)`);
  }
  if (want(3)) {
    // 3. Frame time with 1,000 requests in flight, stepping at 15 steps/s (every step renders).
    const page = await openServer();
    await sendBurst(page, 1000);
    const frames = await page.evaluate(async () => {
      const speed = document.querySelector('[data-testid="speed"]');
      speed.value = speed.querySelector('option:nth-child(3)').value;
      speed.dispatchEvent(new Event('change', { bubbles: true }));
      document.querySelector('[data-testid="play"]').click();
      const gaps = [];
      let last = performance.now();
      await new Promise((done) => {
        const tick = (t) => {
          gaps.push(t - last);
          last = t;
          if (gaps.length < 240) requestAnimationFrame(tick);
          else done();
        };
        requestAnimationFrame(tick);
      });
      document.querySelector('[data-testid="pause"]').click();
      return gaps.slice(10);
    });
    const sorted = [...frames].sort((a, b) => a - b);
    console.log(
      `bench: frame interval with 1000 requests in flight at 15 steps/s: median ${fmt(median(frames))}, p95 ${fmt(sorted[Math.floor(sorted.length * 0.95)])} (${frames.length} frames)`,
    );
    await page.close();
  }
  if (want(4)) {
    // 4. The cost of one callback in the page: a chain of 20,000 setImmediate callbacks (each one
    // loop iteration) at max speed, from Run to the process's exit.
    const perCallback = [];
    const chainRates = [];
    const CHAIN = 20000;
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(server.url);
      await page.locator('[data-testid="caption"]').waitFor();
      await page.getByTestId('speed').selectOption('max');
      await page
        .locator('[data-testid="program-editor"] textarea')
        .fill(
          `let left = ${CHAIN};\nfunction next() { if (--left > 0) setImmediate(next); }\n` +
            "setImmediate(next);\nprocess.on('exit', () => console.log('done'));\n",
        );
      const t0 = await page.evaluate(() => performance.now());
      await page.getByTestId('run-program').click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="console"]')?.textContent.includes('done'),
        null,
        { timeout: 300_000 },
      );
      const t1 = await page.evaluate(() => performance.now());
      const steps = await stepNumber(page);
      perCallback.push(((t1 - t0) * 1000) / CHAIN);
      chainRates.push((steps / (t1 - t0)) * 1000);
      await page.close();
    }
    console.log(
      `bench: a chain of ${CHAIN} setImmediate callbacks at max speed: median ${median(perCallback).toFixed(0)} µs per callback, ${Math.round(median(chainRates))} steps/s (${RUNS} runs)`,
    );
  }

  if (want(5)) {
    // 5. Cold start: navigation to the first drawn phase ring, and to an idle simulation (the
    // worker has loaded the program: Play answers at once).
    const rings = [];
    const starts = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const t0 = Date.now();
      await page.goto(server.url);
      await page.waitForFunction(() => document.querySelector('[data-testid="clock"]'), null, {
        polling: 'raf',
      });
      rings.push(Date.now() - t0);
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="clock"]') &&
          document.documentElement.dataset.sim === 'idle',
      );
      starts.push(Date.now() - t0);
      await page.close();
    }
    console.log(
      `bench: cold start: the phase ring drawn after ${fmt(median(rings))}, the simulation ready after ${fmt(median(starts))} (medians, ${RUNS} runs)`,
    );
  }

  if (want(6)) {
    // 6. A main script filling an array with 1,000,000 objects: the page's longest frame while it
    // runs, and how long a click on Pause takes to show (Play enabled again).
    const gaps = [];
    const pauses = [];
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await openWith(
        'const a = [];\nfor (let i = 0; i < 1000000; i++) a.push({ i });\nconsole.log(a.length);\n',
      );
      await recordFrames(page);
      const r = await page.evaluate(async () => {
        const t0 = performance.now();
        document.querySelector('[data-testid="run-program"]').click();
        // Wait until the worker says the main script is busy, then pause.
        await new Promise((done) => {
          const check = () =>
            document.querySelector('[data-testid="caption"]')?.textContent.startsWith('Running')
              ? done()
              : requestAnimationFrame(check);
          check();
        });
        const p0 = performance.now();
        document.querySelector('[data-testid="pause"]').click();
        await new Promise((done) => {
          const check = () =>
            !document.querySelector('[data-testid="play"]').disabled
              ? done()
              : requestAnimationFrame(check);
          check();
        });
        const pause = performance.now() - p0;
        await new Promise((done) => {
          const check = () =>
            document.querySelector('[data-testid="console"]')?.textContent.includes('1000000')
              ? done()
              : requestAnimationFrame(check);
          check();
        });
        return { pause, ran: performance.now() - t0 };
      });
      gaps.push((await sortedGaps(page)).at(-1));
      pauses.push(r.pause);
      runs.push(r.ran);
      await page.close();
    }
    console.log(
      `bench: main script of 1,000,000 objects (${fmt(median(runs))} to its output): longest frame ${fmt(median(gaps))}, Pause shown after ${fmt(median(pauses))} (medians, ${RUNS} runs)`,
    );
  }

  if (want(7)) {
    // 7. Stop on `while (true) {}`: click to "Stopped" in the caption (the worker terminated),
    // and to a fresh worker that has rebuilt the run (the page can step again).
    const stops = [];
    const rebuilt = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await openWith('let n = 0;\nwhile (true) {\n  n++;\n}\n');
      await page.getByTestId('run-program').click();
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="caption"]')?.textContent.startsWith('Running'),
      );
      const r = await page.evaluate(async () => {
        const t0 = performance.now();
        document.querySelector('[data-testid="stop"]').click();
        const wait = (ok) =>
          new Promise((done) => {
            const check = () => (ok() ? done() : requestAnimationFrame(check));
            check();
          });
        await wait(() =>
          document.querySelector('[data-testid="caption"]').textContent.startsWith('Stopped'),
        );
        const stopped = performance.now() - t0;
        await wait(
          () =>
            document.documentElement.dataset.sim === 'idle' &&
            !document.querySelector('[data-testid="rewind-progress"]'),
        );
        return { stopped, rebuilt: performance.now() - t0 };
      });
      stops.push(r.stopped);
      rebuilt.push(r.rebuilt);
      await page.close();
    }
    console.log(
      `bench: Stop on while (true): caption says Stopped after ${fmt(median(stops))}, a fresh worker has rebuilt the run after ${fmt(median(rebuilt))} (medians, ${RUNS} runs)`,
    );
  }

  if (want(8)) {
    // 8. The worker's live heap under a steady 1,000 requests/s at max speed: bytes per 1,000
    // requests between 5,000 and SENT requests.
    const SENT = Number(process.env.BENCH_REQUESTS ?? 30000);
    const page = await openServer();
    await page.getByTestId('rate').fill('1000');
    await page.getByTestId('rate').dispatchEvent('change');
    await page.getByTestId('start-rate').click();
    const total = () =>
      ['waiting', 'running', 'done']
        .map((k) =>
          Number(document.querySelector(`[data-testid="requests-${k}"]`)?.textContent ?? 0),
        )
        .reduce((a, b) => a + b, 0);
    const sample = async (n) => {
      await page.waitForFunction(`(${total})() >= ${n}`, null, { timeout: 600_000 });
      return page.evaluate(
        `({ heap: Number(document.documentElement.dataset.heapBytes), total: (${total})() })`,
      );
    };
    const a = await sample(5000);
    const b = await sample(SENT);
    const slope = ((b.heap - a.heap) / (b.total - a.total)) * 1000;
    console.log(
      `bench: worker heap under a steady 1,000 req/s: ${(a.heap / 2 ** 20).toFixed(1)} MiB at ${a.total} requests, ${(b.heap / 2 ** 20).toFixed(1)} MiB at ${b.total}: ${(slope / 1024).toFixed(1)} KiB per 1,000 requests`,
    );
    await page.close();
  }

  if (want(9)) {
    // 9. The Load pane's presets to their end at max speed: wall time, frame times (p95,
    // longest, and the share of frames over 20 ms, which moves before a quantised p95 does),
    // and the worker's heap (and its WebAssembly memory) and the page's JS heap at the start
    // and the end.
    // RUNS runs of each; the line gives the medians and, in brackets, each run's figure.
    for (const preset of (process.env.LOAD_PRESETS ?? 'ten-thousand,cpu-route').split(',')) {
      const runs = [];
      for (let run = 0; run < RUNS; run++) {
        const page = await openIdle();
        const heap = () =>
          page.evaluate(() => ({
            worker: Number(document.documentElement.dataset.heapBytes ?? 0),
            wasm: Number(document.documentElement.dataset.wasmBytes ?? 0),
            page: performance.memory?.usedJSHeapSize ?? 0,
          }));
        const before = await heap();
        // Where a visitor who clicks the preset looks: the Load pane on screen, its results
        // drawn as they come (off screen the browser would skip laying them out).
        await page.evaluate((preset) => {
          document
            .querySelector(`[data-testid="load-preset-${preset}"]`)
            .scrollIntoView({ block: 'start' });
        }, preset);
        await recordFrames(page);
        const wall = await page.evaluate(async (preset) => {
          const t0 = performance.now();
          document.querySelector(`[data-testid="load-preset-${preset}"]`).click();
          await new Promise((done) => {
            const check = () =>
              document.querySelector('.load-result[data-running="false"]')
                ? done()
                : setTimeout(check, 50);
            check();
          });
          return performance.now() - t0;
        }, preset);
        const frames = await sortedGaps(page);
        const after = await heap();
        runs.push({
          wall,
          p95: frames[Math.floor(frames.length * 0.95)],
          max: frames.at(-1),
          slow: (100 * frames.filter((g) => g > 20).length) / frames.length,
          frames: frames.length,
          before,
          after,
        });
        await page.close();
      }
      // Then a click on Pause a second into the load (the users have arrived): how long until
      // the page shows it (Play enabled), and until the simulation's view says it paused.
      const pauses = [];
      for (let run = 0; run < RUNS; run++) {
        const page = await openIdle();
        const r = await page.evaluate(async (preset) => {
          const button = document.querySelector(`[data-testid="load-preset-${preset}"]`);
          button.scrollIntoView({ block: 'start' });
          button.click();
          await new Promise((done) => setTimeout(done, 1000));
          const pause = document.querySelector('[data-testid="pause"]');
          // A preset that ended within the second has nothing to pause: no figure.
          if (pause.disabled) return null;
          const p0 = performance.now();
          pause.click();
          // Both watched at once: either may come first.
          const until = (cond) =>
            new Promise((done) => {
              const check = () => (cond() ? done(performance.now() - p0) : setTimeout(check, 1));
              check();
            });
          const [shown, answered] = await Promise.all([
            until(() => !document.querySelector('[data-testid="play"]').disabled),
            until(() => document.documentElement.dataset.sim === 'idle'),
          ]);
          return { shown, answered };
        }, preset);
        if (r) pauses.push(r);
        await page.close();
      }
      const mid = (key) => median(runs.map((r) => r[key]));
      const each = (key, f) => `[${runs.map((r) => f(r[key])).join(', ')}]`;
      const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
      const last = runs.at(-1);
      console.log(
        `bench: load preset ${preset} to its end (medians of ${RUNS} runs): ${fmt(mid('wall'))} wall ${each('wall', fmt)}, frames p95 ${fmt(mid('p95'))}, longest ${fmt(mid('max'))} ${each('max', fmt)}, ${mid('slow').toFixed(1)}% over 20 ms (${mid('frames')} frames); last run: worker heap ${mib(last.before.worker)} → ${mib(last.after.worker)} (its wasm memory ${mib(last.before.wasm)} → ${mib(last.after.wasm)}), page JS heap ${mib(last.before.page)} → ${mib(last.after.page)}`,
      );
      if (pauses.length === 0)
        console.log(`bench: load preset ${preset}, Pause a second in: it had ended by then`);
      else
        console.log(
          `bench: load preset ${preset}, Pause a second in: shown after ${fmt(median(pauses.map((p) => p.shown)))}, the simulation's paused view after ${fmt(median(pauses.map((p) => p.answered)))} (medians of ${pauses.length} runs; each: ${pauses.map((p) => `${fmt(p.shown)}/${fmt(p.answered)}`).join(', ')})`,
        );
    }
  }
  if (want(10)) {
    // 10. Frames at max speed under a steady 100 requests/s on the default server (a console
    // line per request): rAF gaps over 5 s, after 2 s of warm-up. The page draws a view every fourth
    // frame at most at max speed; what a frame costs is its rendering (the console, the ring, layout).
    const gaps = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await openServer();
      await page.getByTestId('rate').fill('100');
      await page.getByTestId('rate').dispatchEvent('change');
      await page.getByTestId('start-rate').click(); // plays, at the max speed openServer chose
      await page.waitForTimeout(2000);
      await recordFrames(page);
      await page.waitForTimeout(5000);
      gaps.push(...(await frameGaps(page)));
      await page.close();
    }
    gaps.sort((a, b) => a - b);
    const q = (p) => gaps[Math.floor((gaps.length - 1) * p)];
    console.log(
      `bench: frames at max speed under a steady 100 req/s: p50 ${fmt(q(0.5))}, p95 ${fmt(q(0.95))}, longest ${fmt(q(1))} (${gaps.length} frames, ${RUNS} runs)`,
    );
  }
  if (want(11)) {
    // 11. Time travel on a long run: the "10,000 users" preset to its end (about 370,000 steps),
    // then jumps to steps across the history by clicking the timeline, and one step back from each
    // (the history shows them: no JavaScript runs). Each time is from the click to the frame
    // that shows the new step; the history's bytes are what the simulation reports.
    const page = await openIdle();
    const t0 = Date.now();
    await page.click('[data-testid="load-preset-ten-thousand"]');
    await page.waitForFunction(
      () => document.querySelector('.load-result[data-running="false"]'),
      null,
      {
        timeout: 900_000,
      },
    );
    const wall = Date.now() - t0;
    await page.waitForFunction(() => document.documentElement.dataset.sim === 'idle');
    const { steps, bytes, from, jumps, backs, landed, givenUp } = await timeTravel(page);
    console.log(
      travelLine(`the "10,000 users" run (${fmt(wall)} to play)`, {
        steps,
        bytes,
        from,
        jumps,
        backs,
        landed,
        givenUp,
      }),
    );
    await page.close();
  }
  if (want(12)) {
    // 12. Time travel where every step is kept: the 1,000-request burst played to its end, and
    // the "10,000 users" preset paused at its 100,000th step (issue 12's 100,000-step run).
    const burst = await openServer();
    await sendBurst(burst, 1000);
    await playUntilAnswered(burst, 1000, 300_000);
    await burst.getByTestId('pause').click();
    await burst.waitForFunction(() => document.documentElement.dataset.sim === 'idle');
    console.log(travelLine('the 1,000-request burst', await timeTravel(burst)));
    await burst.close();
    const page = await openIdle();
    await page.click('[data-testid="load-preset-ten-thousand"]');
    await page.waitForFunction(
      () =>
        Number(document.querySelector('.caption-step')?.textContent.replace(/\D/g, '') || 0) >=
        100_000,
      null,
      { timeout: 900_000, polling: 50 },
    );
    await page.getByTestId('pause').click();
    await page.waitForFunction(() => document.documentElement.dataset.sim === 'idle');
    console.log(
      travelLine('the "10,000 users" run paused at 100,000 steps', await timeTravel(page)),
    );
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
