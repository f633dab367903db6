// Browser benchmark of the release build in dist/ (headless Chromium, playwright-core): how fast
// the page steps at max speed, how long a step back takes after many steps, how long a frame
// takes while 1,000 requests are in flight, and what one callback costs in the page. Not a test: it prints medians and asserts
// nothing. Run: scripts/bench-browser.sh (builds dist/ first), or node bench.mjs.
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

try {
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
  // 1. Max speed through a burst of 1,000 database requests.
  const rates = [];
  const backs = [];
  let steps = 0;
  for (let run = 0; run < RUNS; run++) {
    const page = await openServer();
    await page.getByTestId('burst-size').fill('1000');
    await page.getByTestId('burst-size').dispatchEvent('change');
    await page.getByTestId('send-burst').click();
    const s0 = await stepNumber(page);
    const t0 = await page.evaluate(() => performance.now());
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="requests-done"]')?.textContent === '1000',
      null,
      { timeout: 120_000 },
    );
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

  // 3. Frame time with 1,000 requests in flight, stepping at 15 steps/s (every step renders).
  const page = await openServer();
  await page.getByTestId('burst-size').fill('1000');
  await page.getByTestId('burst-size').dispatchEvent('change');
  await page.getByTestId('send-burst').click();
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
} finally {
  await browser.close();
  await server.close();
}
