// End-to-end tests of the release build in dist/: headless Chromium (Debian's package) driven by
// playwright-core, the page served by server.mjs. Run: node --test e2e.test.mjs
// (scripts/test.sh builds dist/ first). Every wait is on a selector, never on time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.LOOPLAB_DIST ?? join(here, '..', '..', 'dist'));
const SHOTS = join(here, 'screenshots');
const TAGLINE = "The Node.js event loop, live: libuv's phases, Node's queues and the thread pool";

const TEST_IDS = [
  'program-editor',
  'run-program',
  'preset-select',
  'phase-timers',
  'phase-pending',
  'phase-idle',
  'phase-prepare',
  'phase-poll',
  'phase-check',
  'phase-close',
  'loop-iteration',
  'clock',
  'call-stack',
  'queue-timers',
  'queue-pending',
  'queue-poll',
  'queue-check',
  'queue-close',
  'queue-nexttick',
  'queue-microtask',
  'threadpool',
  'pool-queue',
  'pool-size',
  'console',
  'route-select',
  'send-request',
  'burst-size',
  'send-burst',
  'rate',
  'start-rate',
  'requests',
  'play',
  'step',
  'step-phase',
  'step-iteration',
  'step-back',
  'speed',
  'reset',
  'caption',
];

let browser;

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  browser = await launchChromium(['--hide-scrollbars']);
});

after(async () => {
  await browser?.close();
});

/** A page whose console errors, uncaught exceptions, failed requests and 4xx/5xx responses are kept. */
async function openPage(contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`),
  );
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { context, page, problems };
}

/** Waits until the app has rendered inside `scope` (a Page or a FrameLocator). */
async function waitForApp(scope) {
  await scope.locator('[data-testid="caption"]').waitFor({ state: 'visible', timeout: 20_000 });
  await scope
    .locator('[data-testid="worker"]')
    .nth(3)
    .waitFor({ state: 'attached', timeout: 5_000 });
}

async function assertShell(scope, problems) {
  try {
    await waitForApp(scope);
  } catch (err) {
    assert.fail(`the app did not render: ${err.message.split('\n')[0]}\n${problems.join('\n')}`);
  }
  assert.equal((await scope.locator('h1').textContent()).trim(), 'Looplab');
  assert.equal((await scope.locator('.tagline').textContent()).trim(), TAGLINE);
  for (const id of TEST_IDS) {
    const count = await scope.getByTestId(id).count();
    assert.equal(count, 1, `expected exactly one [data-testid="${id}"], found ${count}`);
  }
  assert.equal(await scope.locator('.ring > .phase').count(), 6, 'six phases on the ring');
  const workers = scope.getByTestId('threadpool').locator('.worker');
  assert.equal(await workers.count(), 4, 'four workers');
  for (let i = 0; i < 4; i++) {
    assert.equal(await workers.nth(i).getAttribute('data-state'), 'idle');
  }
}

/** The page's document-level overflow: how far it scrolls in each direction. */
function overflow(page) {
  return page.evaluate(() => ({
    x: document.documentElement.scrollWidth - window.innerWidth,
    y: document.documentElement.scrollHeight - window.innerHeight,
  }));
}

describe('served from the site root', () => {
  let server;
  before(async () => {
    server = await startServer({ root: DIST });
  });
  after(async () => {
    await server?.close();
  });

  test('loads without console errors and shows every region', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await assertShell(page, problems);
      assert.equal(await page.title(), 'Looplab');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('fits 1280x800 without scrolling (light theme screenshot)', async () => {
    const { context, page, problems } = await openPage({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
    });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      // Only the Load pane is below the first screen (under the caption).
      assert.equal((await overflow(page)).x, 0, 'no horizontal scrolling');
      const caption = await page.getByTestId('caption').boundingBox();
      const load = await page.getByTestId('load-pane').boundingBox();
      assert.ok(load.y >= caption.y + caption.height, 'the Load pane follows the caption');
      // The sticky caption covers none of the board (the console's newest line is at its foot).
      const board = await page.locator('.board').boundingBox();
      assert.ok(board.y + board.height <= caption.y + 0.5, `board ${JSON.stringify(board)}`);
      // Every region of the loop is on screen, not clipped below the fold.
      for (const id of TEST_IDS) {
        const box = await page.getByTestId(id).boundingBox();
        assert.ok(box, `${id} has no box`);
        assert.ok(
          box.y >= 0 && box.y + box.height <= 800 + 0.5,
          `${id} is off screen: ${JSON.stringify(box)}`,
        );
        assert.ok(
          box.x >= 0 && box.x + box.width <= 1280 + 0.5,
          `${id} is off screen: ${JSON.stringify(box)}`,
        );
      }
      await page.screenshot({ path: join(SHOTS, 'desktop-1280x800.png') });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('follows the dark colour scheme', async () => {
    const { context, page, problems } = await openPage({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'dark',
    });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      const [r, g, b] = await page.evaluate(() =>
        getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number),
      );
      assert.ok(r + g + b < 120, `dark background expected, got rgb(${r}, ${g}, ${b})`);
      await page.screenshot({ path: join(SHOTS, 'desktop-dark-1280x800.png') });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('turns transitions off for reduced motion', async () => {
    const { context, page } = await openPage({ reducedMotion: 'reduce' });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      const duration = await page
        .locator('.phase')
        .first()
        .evaluate((el) => parseFloat(getComputedStyle(el).transitionDuration));
      assert.ok(duration < 0.001, `transition still ${duration}s long`);
    } finally {
      await context.close();
    }
  });

  test('the loop ring is drawn in 1% of its shorter side, and follows a resize', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await assertShell(page, problems);
      // --u is 1% of the ring box's shorter side, once the ResizeObserver has seen the box.
      const settled = () =>
        page.waitForFunction(() => {
          const ring = document.querySelector('.ring-wrap');
          const r = ring.getBoundingClientRect();
          const u = parseFloat(getComputedStyle(ring).getPropertyValue('--u'));
          return Math.abs(u - Math.min(r.width, r.height) / 100) < 0.01;
        });
      // The phases sit on a circle of radius 37 u about the box's centre: timers at the top and
      // poll at the bottom are 74 u apart, pending and close (at ±60°) 2 × 37 u × sin 60° across.
      const geometry = () =>
        page.evaluate(() => {
          const ring = document.querySelector('.ring-wrap');
          const u = parseFloat(getComputedStyle(ring).getPropertyValue('--u'));
          const mid = (id) => {
            const r = document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
          };
          const [timers, poll, pending, close] = [
            'phase-timers',
            'phase-poll',
            'phase-pending',
            'phase-close',
          ].map(mid);
          return { u, vertical: poll.y - timers.y, across: pending.x - close.x };
        });
      const onCircle = (g) => {
        assert.ok(Math.abs(g.vertical - 74 * g.u) < 2, JSON.stringify(g));
        assert.ok(Math.abs(g.across - 74 * g.u * Math.sin(Math.PI / 3)) < 2, JSON.stringify(g));
      };
      await settled();
      const wide = await geometry();
      onCircle(wide);
      await page.setViewportSize({ width: 400, height: 800 });
      await settled();
      const narrow = await geometry();
      assert.notEqual(narrow.u, wide.u, 'the unit follows the new size');
      onCircle(narrow);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('stacks into one column at 400 px wide', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 400, height: 800 } });
    try {
      await page.goto(server.url);
      await assertShell(page, problems);
      assert.equal((await overflow(page)).x, 0, 'no horizontal scrolling');
      // One column: the loop sits below the editor and the queues below the loop.
      const editor = await page.getByTestId('program-editor').boundingBox();
      const ring = await page.getByTestId('phase-timers').boundingBox();
      const queues = await page.getByTestId('queue-nexttick').boundingBox();
      assert.ok(editor.y + editor.height <= ring.y, 'loop below the editor');
      assert.ok(ring.y + ring.height <= queues.y, 'queues below the loop');
      for (const id of TEST_IDS) {
        const box = await page.getByTestId(id).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 400 + 0.5, `${id} overflows 400 px`);
      }
      await page.screenshot({ path: join(SHOTS, 'narrow-400x800.png') });
      await page.screenshot({ path: join(SHOTS, 'narrow-400-full.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the built index.html only uses relative asset URLs', async () => {
    const html = await readFile(join(DIST, 'index.html'), 'utf8');
    const urls = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    assert.ok(
      urls.some((u) => /\.js$/.test(u)),
      `no script in ${urls}`,
    );
    assert.ok(
      urls.some((u) => /\.wasm$/.test(u)),
      `no wasm in ${urls}`,
    );
    for (const u of urls) {
      assert.ok(!u.startsWith('/') && !/^[a-z]+:\/\//i.test(u), `absolute URL in index.html: ${u}`);
    }
    assert.ok(!/import init from '\//.test(html), 'absolute module import');
  });
});

describe('embedded in an iframe under a sub-path', () => {
  const PREFIX = '/course/looplab/';
  const HOST = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Course: the event loop</title><link rel="icon" href="data:,"></head>
  <body style="margin: 16px; font-family: sans-serif">
    <h1>Lesson 3: the event loop</h1>
    <iframe src="${PREFIX}" title="Looplab" width="400" height="760" style="border: 1px solid #888"></iframe>
  </body>
</html>`;
  let server;
  before(async () => {
    server = await startServer({ root: DIST, prefix: PREFIX, hostPage: HOST });
  });
  after(async () => {
    await server?.close();
  });

  test('renders inside the host page, loading every asset from the sub-path', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(`${server.origin}/host.html`);
      const frame = page.frameLocator('iframe[title="Looplab"]');
      await assertShell(frame, problems);
      const appFrame = page.frames().find((f) => f.url().endsWith(PREFIX));
      assert.ok(appFrame, `no frame at ${PREFIX}: ${page.frames().map((f) => f.url())}`);
      const { scrollWidth, innerWidth } = await appFrame.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      assert.ok(
        scrollWidth <= innerWidth,
        `iframe scrolls sideways: ${scrollWidth} > ${innerWidth}`,
      );
      const served = server.requests.filter((r) => r.status === 200).map((r) => r.path);
      assert.ok(
        served.some((p) => p.startsWith(PREFIX) && p.endsWith('.wasm')),
        `wasm not under ${PREFIX}: ${served}`,
      );
      assert.ok(
        served.some((p) => p.startsWith(PREFIX) && p.endsWith('.css')),
        `css not under ${PREFIX}: ${served}`,
      );
      assert.deepEqual(
        server.requests.filter((r) => r.status >= 400),
        [],
      );
      await page.screenshot({ path: join(SHOTS, 'iframe-host-1280x800.png') });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The live visualiser: programs run, requests travel, panes follow. Driven by the Step button
// (deterministic) or by Play at the "max" speed, always waiting on the page's own state.
// ---------------------------------------------------------------------------------------------

const EXPECTED = join(here, 'expected');

/**
 * Waits until the simulation (in its Web Worker) has answered every command the page sent:
 * the backend marks `<html data-sim="idle">` once a view reflects them all.
 */
/** Waits until the simulation is idle and the page has drawn all of its view (a list whose
 * items were mostly new, the console's lines or the requests' rows, draws the rest a frame
 * later, marked `data-partial` meanwhile). */
const idle = (page) =>
  page.waitForFunction(
    () =>
      document.documentElement.dataset.sim === 'idle' && !document.querySelector('[data-partial]'),
  );

/** Opens `link` in `page` and waits until the run it carries is replayed to its step. */
async function openLink(page, link) {
  await page.goto(link);
  await waitForApp(page);
  await page.waitForFunction(
    () =>
      document
        .querySelector('[data-testid="caption"]')
        ?.textContent.startsWith('Opened from a link'),
    null,
    { timeout: 60_000 },
  );
  await idle(page);
}

/** Clicks Step until `check()` resolves truthy (bounded). */
async function stepUntil(page, what, check, max = 400) {
  for (let i = 0; i < max; i++) {
    if (await check()) return;
    await page.getByTestId('step').click();
    await idle(page);
  }
  assert.fail(
    `never saw ${what} within ${max} steps; caption: ${await page.getByTestId('caption').textContent()}`,
  );
}

const text = async (page, id) => (await page.getByTestId(id).textContent()) ?? '';
const clockMs = async (page) => parseFloat((await text(page, 'clock')).replace(/[^0-9.]/g, ''));

/** Plays at max speed until the default server listens and idles, then pauses. */
async function startServer_(page) {
  await page.getByTestId('speed').selectOption('max');
  await page.getByTestId('play').click();
  await idle(page);
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="caption"]')?.textContent.includes('The server is idle'),
  );
  await page.getByTestId('pause').click();
  await idle(page);
  assert.ok((await text(page, 'console')).includes('listening on 3000'));
}

async function sendTo(page, route) {
  await page.getByTestId('route-select').selectOption({ label: route });
  await page.getByTestId('send-request').click();
  await idle(page);
}

/** Keeps a record of every flying copy the page adds (they are removed when they land). */
const recordFlights = (page) =>
  page.evaluate(() => {
    window.__flights = [];
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (n.dataset?.testid === 'flight')
            window.__flights.push({ task: n.dataset.task, to: n.dataset.to, label: n.textContent });
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
const flown = (page) => page.evaluate(() => window.__flights);
const clearFlights = (page) =>
  page.evaluate(() => {
    window.__flights = [];
  });

const lastRequest = (page) => page.getByTestId('request').first();

/** Waits until every CSS animation and transition on the page has finished (before a screenshot). */
const settled = (page) =>
  page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));

async function shot(page, name, options = {}) {
  await settled(page);
  await page.screenshot({ path: join(SHOTS, name), ...options });
}

describe('the live visualiser', () => {
  let server;
  before(async () => {
    server = await startServer({ root: DIST });
  });
  after(async () => {
    await server?.close();
  });

  test('a database request: socket, stack, kernel, microtask, response', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await startServer_(page);
      await sendTo(page, 'GET /users/:id');
      assert.equal(await lastRequest(page).getAttribute('data-state'), 'waiting');
      await stepUntil(page, 'the handler on the stack', async () =>
        (await text(page, 'call-stack')).includes('onconnection (request)'),
      );
      const frames = await page.getByTestId('stack-frame').allTextContents();
      assert.ok(
        frames.some((f) => f.includes('db.query')),
        `host call on top: ${frames}`,
      );
      assert.equal(await lastRequest(page).getAttribute('data-state'), 'running');
      assert.equal(await page.getByTestId('phase-poll').getAttribute('data-active'), 'true');
      const poll = await page.getByTestId('queue-poll').getByTestId('queue-item').allTextContents();
      assert.ok(
        poll.some((i) => i.includes('onQueryReply') && i.includes('waiting in the kernel')),
        `poll watcher: ${poll}`,
      );
      assert.match(await text(page, 'caption'), /request #1 arrived on the server's socket/);
      await stepUntil(page, 'the reply callback', async () =>
        (await text(page, 'call-stack')).includes('onQueryReply'),
      );
      assert.ok(
        Number(await page.getByTestId('queue-microtask').getAttribute('data-count')) >= 1,
        'the continuation is a microtask',
      );
      assert.match(await text(page, 'caption'), /database's reply arrived/);
      await stepUntil(
        page,
        'the response',
        async () => (await lastRequest(page).getAttribute('data-state')) === 'done',
      );
      assert.match(await lastRequest(page).textContent(), /200 · \d+\.\d ms/);
      assert.ok((await text(page, 'console')).includes('Request received for user 1'));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a hash keeps a worker busy, a file read makes pool trips, a CPU report blocks the loop', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await startServer_(page);

      await sendTo(page, 'GET /login');
      const busy = page.locator('[data-testid="worker"][data-state="busy"]');
      await stepUntil(page, 'a busy worker', async () => (await busy.count()) === 1);
      assert.match(await busy.first().textContent(), /crypto\.pbkdf2/);
      await shot(page, 'live-hash-1280x800.png');
      await stepUntil(
        page,
        'the hash response',
        async () => (await lastRequest(page).getAttribute('data-state')) === 'done',
      );
      assert.equal(await busy.count(), 0);

      await sendTo(page, 'GET /files/report');
      await stepUntil(
        page,
        'a pool trip',
        async () => (await busy.count()) === 1 && /fs\./.test(await busy.first().textContent()),
      );
      await stepUntil(
        page,
        'the file response',
        async () => (await lastRequest(page).getAttribute('data-state')) === 'done',
      );

      await sendTo(page, 'GET /report/cpu');
      // Step until the handler is on the stack, keeping the clock from before each step: the
      // step that ran the handler spent its 50 ms busy-wait on the main thread.
      let clockBefore = await clockMs(page);
      let clockAfter = clockBefore;
      await stepUntil(
        page,
        'the cpu handler',
        async () => {
          const ran = (await text(page, 'call-stack')).includes('onconnection (request)');
          if (!ran) clockBefore = await clockMs(page);
          else clockAfter = await clockMs(page);
          return ran;
        },
        100,
      );
      await stepUntil(
        page,
        'the cpu response',
        async () => (await lastRequest(page).getAttribute('data-state')) === 'done',
      );
      const row = await lastRequest(page).textContent();
      const ms = parseFloat(row.match(/([\d.]+) ms/)[1]);
      // Date.now() has millisecond steps: the 50 ms wait measures at least 49 ms of virtual time.
      assert.ok(ms >= 49, `the busy-wait took ${ms} ms`);
      assert.ok(
        clockAfter - clockBefore >= 49,
        `the handler's step moved the clock from ${clockBefore} to ${clockAfter} ms`,
      );
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a burst of 1000 requests stays compact in the DOM', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await startServer_(page);
      await page.getByTestId('burst-size').fill('1000');
      await page.getByTestId('burst-size').dispatchEvent('change');
      await page.getByTestId('send-burst').click();
      await idle(page);
      await stepUntil(
        page,
        'requests being handled',
        async () => Number(await page.getByTestId('requests-running').textContent()) > 20,
        200,
      );
      const counts = await page.evaluate(() => ({
        nodes: document.querySelectorAll('*').length,
        items: document.querySelectorAll('[data-testid="queue-item"]').length,
        rows: document.querySelectorAll('[data-testid="request"]').length,
        poll: Number(document.querySelector('[data-testid="queue-poll"]').dataset.count),
      }));
      assert.ok(counts.rows <= 30, `${counts.rows} request rows`);
      assert.ok(counts.items <= 8 * 8, `${counts.items} queue items`);
      assert.ok(counts.poll > 20, `poll count ${counts.poll}`);
      assert.ok(counts.nodes < 2500, `${counts.nodes} DOM nodes`);
      assert.ok((await text(page, 'queue-poll')).includes('more'));
      // A long poll lane still leaves every lane in view: the queues pane does not need to scroll.
      const fit = await page.evaluate(() => {
        const body = document
          .querySelector('[data-testid="queues"] .pane-body')
          .getBoundingClientRect();
        const close = document.querySelector('[data-testid="queue-close"]').getBoundingClientRect();
        return { body: body.bottom, close: close.bottom };
      });
      assert.ok(
        fit.close <= fit.body + 0.5,
        `the close lane ends at ${fit.close}px, below the pane (${fit.body}px)`,
      );
      await shot(page, 'live-burst-1280x800.png');
      // Play to the end of the burst at max speed: every request is answered.
      await page.getByTestId('play').click();
      await idle(page);
      await page.waitForFunction(
        () => document.querySelector('[data-testid="requests-done"]')?.textContent === '1000',
        null,
        { timeout: 60_000 },
      );
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a step animates what moved: onto the stack, and out of it into a queue', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await recordFlights(page);
      await startServer_(page);
      assert.deepEqual(await flown(page), [], 'nothing flies at max speed');
      await sendTo(page, 'GET /users/:id');
      await stepUntil(page, 'the handler on the stack', async () =>
        (await text(page, 'call-stack')).includes('onconnection (request)'),
      );
      // The ready socket's watcher went from the poll lane onto the stack; the database query
      // its handler started left the handler's frame for the poll lane (waiting in the kernel).
      const f = await flown(page);
      assert.ok(
        f.some((x) => x.to === 'call-stack' && x.label === '#1 onconnection (request)'),
        JSON.stringify(f),
      );
      assert.ok(
        f.some((x) => x.to === 'queue-poll' && x.label === '#1 onQueryReply'),
        JSON.stringify(f),
      );
      const handlerTask = f.find((x) => x.to === 'call-stack').task;
      assert.equal(
        await page.locator(`[data-testid="stack-frame"][data-task="${handlerTask}"]`).count(),
        1,
        'the frame carries the task it came from',
      );
      // Copies are removed once they land.
      await page.waitForFunction(() => !document.querySelector('[data-testid="flight"]'));
      // The reply: its watcher goes onto the stack, the await's continuation out to the microtasks.
      await clearFlights(page);
      await stepUntil(page, 'the reply callback', async () =>
        (await text(page, 'call-stack')).includes('onQueryReply'),
      );
      // For the README: the copies frozen in mid-air (when they are still flying; not a check).
      const frozen = await page.evaluate(() => {
        const flying = document
          .getAnimations()
          .filter((a) => a.effect?.target?.dataset?.testid === 'flight');
        if (flying.length === 0) return false;
        document.getAnimations().forEach((a) => {
          a.pause();
          a.currentTime = 470;
        });
        return true;
      });
      if (frozen) {
        await page.screenshot({ path: join(SHOTS, 'live-flight-1280x800.png') });
        await page.evaluate(() => document.getAnimations().forEach((a) => a.finish()));
      }
      const g = await flown(page);
      assert.ok(
        g.some((x) => x.to === 'call-stack' && x.label === '#1 onQueryReply'),
        JSON.stringify(g),
      );
      assert.ok(
        g.some((x) => x.to === 'queue-microtask'),
        JSON.stringify(g),
      );
      // Going back replays; nothing flies backwards.
      await clearFlights(page);
      const stepText = await page.locator('.caption-step').textContent();
      await page.getByTestId('step-back').click();
      await idle(page);
      await page.waitForFunction(
        (prev) => document.querySelector('.caption-step')?.textContent !== prev,
        stepText,
      );
      assert.deepEqual(await flown(page), []);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('with reduced motion nothing flies', async () => {
    const { context, page, problems } = await openPage({
      viewport: { width: 1280, height: 800 },
      reducedMotion: 'reduce',
    });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await recordFlights(page);
      await startServer_(page);
      await sendTo(page, 'GET /users/:id');
      await stepUntil(page, 'the handler on the stack', async () =>
        (await text(page, 'call-stack')).includes('onconnection (request)'),
      );
      assert.deepEqual(await flown(page), []);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a long rebuild replays a slice per frame, showing progress, and keeps every step for going back', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await startServer_(page);
      await page.getByTestId('burst-size').fill('400');
      await page.getByTestId('burst-size').dispatchEvent('change');
      await page.getByTestId('send-burst').click();
      await idle(page);
      await page.getByTestId('play').click();
      await idle(page);
      await page.waitForFunction(
        () => document.querySelector('[data-testid="requests-done"]')?.textContent === '400',
        null,
        { timeout: 60_000 },
      );
      await page.getByTestId('pause').click();
      await idle(page);
      const steps = Number((await page.locator('.caption-step').textContent()).replace(/\D/g, ''));
      assert.ok(steps > 1500, `${steps} steps`);
      // A run opened from its link is rebuilt by replaying it in a fresh engine: the page
      // answers meanwhile, the caption and a progress bar report it between frames.
      await page.waitForFunction((n) => location.hash.includes(`step=${n}`), steps);
      const link = page.url();
      await page.goto('about:blank');
      await page.goto(link);
      await page.waitForFunction(
        () =>
          document
            .querySelector('[data-testid="caption"]')
            ?.textContent.includes('Rebuilding the run up to step') &&
          document.querySelector('[data-testid="rewind-progress"]'),
        null,
        { timeout: 60_000 },
      );
      await page.waitForFunction(
        () =>
          document
            .querySelector('[data-testid="caption"]')
            ?.textContent.startsWith('Opened from a link'),
        null,
        { timeout: 60_000 },
      );
      await idle(page);
      assert.equal(await stepShown(page), steps);
      assert.equal(
        await page.getByTestId('rewind-progress').count(),
        0,
        'the progress bar goes when it lands',
      );
      // The replay recorded every step it passed: a step back is shown at once, from the
      // history (replaying would say "Stepped back to step N (replayed from the start...)").
      await page.getByTestId('step-back').click();
      await idle(page);
      assert.equal(await page.locator('.caption-step').textContent(), `step ${steps - 1}`);
      assert.doesNotMatch(await text(page, 'caption'), /replayed/);
      assert.equal(await page.getByTestId('rewind-progress').count(), 0);
      assert.equal(await page.getByTestId('requests-done').textContent(), '400');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a steady rate sends requests while playing, and stops', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await startServer_(page);
      await page.getByTestId('speed').selectOption('realtime10');
      await page.getByTestId('rate').fill('50');
      await page.getByTestId('rate').dispatchEvent('change');
      await page.getByTestId('start-rate').click();
      await idle(page);
      await page.waitForFunction(
        () => Number(document.querySelector('[data-testid="requests-done"]')?.textContent) >= 100,
      );
      // Playing faster than anyone reads, the console draws only its latest lines.
      const consoleLines = () =>
        page.evaluate(() => ({
          drawn: document.querySelectorAll('[data-testid="console-line"]').length,
          total: Number(
            document
              .querySelector('[data-testid="console"] .pane-note')
              .textContent.match(/\d+/)[0],
          ),
        }));
      const playing = await consoleLines();
      assert.ok(playing.total >= 100, `${playing.total} lines printed`);
      // The requests too: only the rows that fit in the pane.
      const playingRows = await page.getByTestId('request').count();
      assert.ok(playingRows > 0 && playingRows < 30, `${playingRows} rows drawn while playing`);
      assert.ok(
        playing.drawn > 0 && playing.drawn <= 30,
        `${playing.drawn} lines drawn while playing`,
      );
      await page.getByTestId('stop-rate').click();
      await idle(page);
      await page.getByTestId('pause').click();
      await idle(page);
      assert.ok(await page.getByTestId('start-rate').isVisible());
      // Paused, it draws what it keeps (the last 200), newest at the bottom and in view.
      const paused = await consoleLines();
      assert.equal(paused.drawn, Math.min(200, paused.total));
      // And every row the view keeps (the newest 30), each request once.
      const ids = await page
        .getByTestId('request')
        .evaluateAll((rows) => rows.map((r) => Number(r.dataset.id)));
      const done = Number(await page.getByTestId('requests-done').textContent());
      assert.equal(ids.length, Math.min(30, done));
      assert.equal(new Set(ids).size, ids.length);
      const bottom = await page.evaluate(() => {
        const body = document.querySelector('[data-testid="console"] .pane-body');
        const last = [...body.querySelectorAll('[data-testid="console-line"]')].at(-1);
        const b = body.getBoundingClientRect();
        const l = last.getBoundingClientRect();
        return { inView: l.bottom <= b.bottom + 1 && l.top >= b.top - 1 };
      });
      assert.ok(bottom.inView, 'the newest line is in view');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('each preset prints what real Node printed', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      const files = (await readdir(EXPECTED)).filter((f) => f.endsWith('.out'));
      assert.ok(files.length >= 4, `expected outputs: ${files}`);
      for (const file of files) {
        const key = file.replace(/\.out$/, '');
        const expected = await readFile(join(EXPECTED, file), 'utf8');
        await page.getByTestId('preset-select').selectOption(key);
        if (key === 'nexttick-vs-promises') {
          // Step through this one, event by event.
          await stepUntil(
            page,
            `${key} to exit`,
            async () => (await text(page, 'console')).includes('exited with code 0'),
            300,
          );
        } else {
          await page.getByTestId('speed').selectOption('max');
          await page.getByTestId('play').click();
          await idle(page);
          await page.waitForFunction(() =>
            document
              .querySelector('[data-testid="console"]')
              ?.textContent.includes('exited with code'),
          );
        }
        const lines = await page.getByTestId('console-line').allTextContents();
        assert.equal(lines.map((l) => l + '\n').join(''), expected, `console of ${key}`);
        assert.equal((await text(page, 'error')).trim(), '', `no error in ${key}`);
        if (key === 'pool-saturation') await shot(page, 'preset-pool-1280x800.png');
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('pool saturation: six jobs, four lanes busy and two waiting', async () => {
    const { context, page } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await page.getByTestId('preset-select').selectOption('pool-saturation');
      const busy = page.locator('[data-testid="worker"][data-state="busy"]');
      await stepUntil(page, 'four busy workers', async () => (await busy.count()) === 4, 100);
      assert.equal(await page.getByTestId('pool-queue').getAttribute('data-count'), '2');
      assert.equal(await page.getByTestId('pool-queue').getByTestId('queue-item').count(), 2);
      await shot(page, 'live-pool-1280x800.png');
    } finally {
      await context.close();
    }
  });

  test('a syntax error is shown in the error region with its line', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await page
        .locator('[data-testid="program-editor"] textarea')
        .fill("console.log('ok');\nconst = 1;\n");
      await page.getByTestId('run-program').click();
      await idle(page);
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="error"]')?.textContent.includes('SyntaxError'),
      );
      assert.match(await text(page, 'error'), /line 2/);
      assert.equal(await page.getByTestId('console-line').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('keyboard: space plays, arrows step and step back', async () => {
    const { context, page } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await page.keyboard.press('ArrowRight');
      await idle(page);
      await page.keyboard.press('ArrowRight');
      await idle(page);
      await page.waitForFunction(
        () => document.querySelector('.caption-step')?.textContent === 'step 2',
      );
      await page.keyboard.press('ArrowLeft');
      await idle(page);
      await page.waitForFunction(
        () => document.querySelector('.caption-step')?.textContent === 'step 1',
      );
      await page.keyboard.press(' ');
      await idle(page);
      await page.waitForFunction(() => !document.querySelector('[data-testid="pause"]').disabled);
      await page.keyboard.press(' ');
      await idle(page);
      await page.waitForFunction(() => document.querySelector('[data-testid="pause"]').disabled);
      for (const id of ['play', 'step', 'step-back', 'reset']) {
        assert.ok(await page.getByTestId(id).getAttribute('aria-label'), `${id} is labelled`);
      }
    } finally {
      await context.close();
    }
  });

  test('screenshots of a running server at desktop and narrow widths, light and dark', async () => {
    for (const [name, options] of [
      [
        'live-desktop-1280x800.png',
        { viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
      ],
      [
        'live-desktop-dark-1280x800.png',
        { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' },
      ],
      ['live-narrow-400x800.png', { viewport: { width: 400, height: 800 }, colorScheme: 'light' }],
    ]) {
      const { context, page, problems } = await openPage(options);
      try {
        await page.goto(server.url);
        await waitForApp(page);
        await startServer_(page);
        await page.getByTestId('burst-size').fill('6');
        await page.getByTestId('burst-size').dispatchEvent('change');
        await page.getByTestId('send-burst').click();
        await idle(page);
        await sendTo(page, 'GET /login');
        await stepUntil(
          page,
          'the db reply',
          async () => (await text(page, 'call-stack')).includes('onQueryReply'),
          200,
        );
        assert.deepEqual(await overflow(page).then((o) => o.x), 0);
        if (options.viewport.width === 1280) {
          const caption = await page.getByTestId('caption').boundingBox();
          assert.ok(
            caption.y + caption.height <= 800,
            'the board and caption fill the first screen',
          );
        }
        await shot(page, name);
        if (options.viewport.width === 400)
          await shot(page, 'live-narrow-400-full.png', { fullPage: true });
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  });

  test('the page fetches nothing but its own static files', async () => {
    const fresh = await startServer({ root: DIST });
    const { context, page } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      const external = [];
      page.on('request', (req) => {
        // The simulation worker's script is a blob: URL the page makes (same origin).
        const url = req.url();
        if (
          !url.startsWith(fresh.origin) &&
          !url.startsWith('data:') &&
          !url.startsWith(`blob:${fresh.origin}/`)
        )
          external.push(url);
      });
      await page.goto(fresh.url);
      await waitForApp(page);
      await startServer_(page);
      await sendTo(page, 'GET /users/:id');
      await page.getByTestId('play').click();
      await idle(page);
      await page.waitForFunction(
        () => document.querySelector('[data-testid="requests-done"]')?.textContent === '1',
      );
      assert.deepEqual(external, []);
      const files = new Set((await readdir(DIST)).map((f) => '/' + f));
      for (const r of fresh.requests)
        assert.ok(r.path === '/' || files.has(r.path), `unexpected request ${r.path}`);
    } finally {
      await context.close();
      await fresh.close();
    }
  });
  test('fetch waits in epoll (the poll queue); the chunks of a read stream are pool jobs', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await page
        .locator('[data-testid="program-editor"] textarea')
        .fill(
          "const fs = require('fs');\n" +
            "fetch('http://api.example.com/users/1')\n" +
            '  .then((r) => r.json())\n' +
            "  .then((u) => console.log('user', u.id));\n" +
            'fs.createReadStream(__filename)\n' +
            "  .on('data', (c) => console.log('chunk', c.length))\n" +
            "  .on('end', () => console.log('end'));\n",
        );
      await page.getByTestId('run-program').click();
      await idle(page);
      await page.getByTestId('pause').click();
      await idle(page);
      const seen = { poll: false, pool: false };
      await stepUntil(page, 'a socket in epoll and a chunk on a pool worker', async () => {
        seen.poll ||= Number(await page.getByTestId('queue-poll').getAttribute('data-count')) > 0;
        seen.pool ||= (await page.locator('[data-testid="worker"][data-state="busy"]').count()) > 0;
        return seen.poll && seen.pool;
      });
      await page.getByTestId('speed').selectOption('max');
      await page.getByTestId('play').click();
      await page.waitForFunction(() =>
        document
          .querySelector('[data-testid="console"]')
          ?.textContent.includes('exited with code 0'),
      );
      const lines = await page.getByTestId('console-line').allTextContents();
      assert.ok(lines.includes('user 1'), lines.join(' | '));
      assert.ok(
        lines.includes('end') && lines.some((l) => l.startsWith('chunk ')),
        lines.join(' | '),
      );
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('the simulation in a Web Worker', () => {
  let server;
  before(async () => {
    server = await startServer({ root: DIST });
  });
  after(async () => {
    await server?.close();
  });

  const caption = (page) => text(page, 'caption');
  const until = (page, what) =>
    page.waitForFunction(
      (w) => document.querySelector('[data-testid="caption"]')?.textContent.includes(w),
      what,
      { timeout: 30_000 },
    );

  /** Loads `source` into the editor and runs it (Run plays). */
  async function run(page, source) {
    await page.locator('[data-testid="program-editor"] textarea').fill(source);
    await page.getByTestId('run-program').click();
  }

  /** Starts recording the longest gap between animation frames (ms). */
  const watchFrames = (page) =>
    page.evaluate(() => {
      window.__gap = 0;
      let last = performance.now();
      const tick = (t) => {
        window.__gap = Math.max(window.__gap, t - last);
        last = t;
        window.__raf = requestAnimationFrame(tick);
      };
      window.__raf = requestAnimationFrame(tick);
    });

  test('a heavy main script: frames keep coming, Pause answers, the result arrives', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await watchFrames(page);
      await run(
        page,
        'const a = [];\nfor (let i = 0; i < 300000; i++) a.push({ i, name: `n${i}` });\nconsole.log(a.length);\n',
      );
      // The page's own controls answer while the one JavaScript thread of the program is busy.
      await until(page, 'Running the main script (line 2)');
      await page.getByTestId('pause').click();
      assert.ok(await page.getByTestId('play').isEnabled(), 'Pause took effect at once');
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="console"]')?.textContent.includes('300000'),
      );
      const gap = await page.evaluate(() => window.__gap);
      // Generous for a loaded CI machine: frozen, the gap would be the script's whole run.
      assert.ok(gap < 400, `longest frame gap ${gap} ms`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('Stop (Escape) ends a runaway loop at once; the program and the run are kept', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      const source = "console.log('before');\nlet n = 0;\nwhile (true) {\n  n++;\n}\n";
      await run(page, source);
      await until(page, 'Running the main script (line 3)');
      await page.keyboard.press('Escape');
      // At once: the worker is gone; the caption names what was stopped and where.
      assert.match(await caption(page), /^Stopped the main script at line 3 after \d+\.\d s/);
      // Once the fresh worker has rebuilt the run, its caption says the same.
      await idle(page);
      await until(page, 'Stopped the main script at line 3');
      await page.waitForFunction(() => !document.querySelector('[data-testid="rewind-progress"]'));
      assert.equal(
        await page.locator('[data-testid="program-editor"] textarea').inputValue(),
        source,
      );
      // The rebuilt run is the one that was drawn: Reset and Step work on it.
      await page.getByTestId('reset').click();
      await idle(page);
      assert.ok(await page.getByTestId('step').isEnabled());
      await shot(page, 'worker-stopped-1280x800.png');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('past its time budget a callback ends the run; Keep running gives it longer', async () => {
    const { context, page } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await run(page, 'setTimeout(function spin() {\n  while (true) {}\n}, 10);\n');
      await page.waitForFunction(
        () => document.querySelector('[data-testid="error"]')?.textContent.includes('ran for'),
        null,
        { timeout: 30_000 },
      );
      const error = await text(page, 'error');
      assert.match(
        error,
        /Looplab stopped the program: the callback spin at line 2 ran for 5\.\d s/,
      );
      assert.match(error, /time budget is 5 s/);
      await page.getByTestId('keep-running').click();
      // Back one step, then the callback runs again with four times the budget.
      await until(page, 'Running');
      assert.equal(await page.getByTestId('keep-running').count(), 0);
      await page.getByTestId('stop').click();
      await until(page, 'Stopped');
    } finally {
      await context.close();
    }
  });

  test('an unbounded allocation ends in an out-of-memory message; the page works after it', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await run(
        page,
        "const keep = [];\nfor (let i = 0; ; i++) keep.push('x'.repeat(2 ** 26) + i);\n",
      );
      await until(page, 'Out of memory while the main script ran');
      assert.match(await caption(page), /the heap limit of a program here \(512 MB/);
      await idle(page);
      // A fresh simulation: another program runs to its end.
      await run(page, "console.log('still here');\n");
      await page.waitForFunction(() =>
        document
          .querySelector('[data-testid="console"]')
          ?.textContent.includes('exited with code 0'),
      );
      assert.deepEqual(await page.getByTestId('console-line').allTextContents(), ['still here']);
      // The worker's trap is reported by the browser as a worker error, not by the page.
      assert.deepEqual(
        problems.filter((p) => !p.includes('unreachable') && !p.includes('Out of memory')),
        [],
      );
    } finally {
      await context.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The Load pane: many requests in virtual time, the loop beside a thread-per-request server.
// ---------------------------------------------------------------------------------------------

describe('the Load pane', () => {
  let server;
  before(async () => {
    server = await startServer({ root: DIST });
  });
  after(async () => {
    await server?.close();
  });

  const value = async (page, id) => {
    const v = await page.getByTestId(id).getAttribute('data-value');
    assert.ok(v !== null && v !== '', `${id} has a value`);
    return Number(v);
  };
  const ended = (page, timeout = 180_000) =>
    page.waitForSelector('.load-result[data-running="false"]', { timeout });

  test('a bad field says what it allows and nothing is sent', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await page.getByTestId('load-users').fill('0');
      await page.getByTestId('load-start').click();
      const error = page.getByTestId('load-field-error');
      assert.equal(await error.getAttribute('data-field'), 'load-users');
      assert.equal(await error.textContent(), 'must be a whole number from 1 to 100000, got 0');
      assert.equal(await page.getByTestId('load-users').getAttribute('aria-invalid'), 'true');
      await page.getByTestId('load-route-mix').fill('GET /nowhere');
      await page.getByTestId('load-users').fill('10');
      await page.getByTestId('load-start').click();
      assert.match(
        await error.textContent(),
        /'GET \/nowhere' is not a route the program declares \(it declares: GET \/users\/:id/,
      );
      await idle(page);
      assert.equal(await page.locator('.load-result').count(), 0, 'no load was started');
      assert.equal(await text(page, 'requests-done'), '0', 'no request was sent');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('one CPU route among fast ones: the loop blocks, four cores of threads do not', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await page.getByTestId('load-sender-rate').check();
      await page.getByTestId('load-rate').fill('100');
      await page.getByTestId('load-duration').fill('3');
      await page.getByTestId('load-route-mix').fill('GET /users/:id=9\nGET /report/cpu=1');
      assert.ok(await page.getByTestId('load-compare').isChecked());
      await page.getByTestId('load-start').click();
      await ended(page);
      // The whole run's figures, in data-value as bare numbers.
      const throughput = await value(page, 'metric-throughput');
      // 100 a second, Poisson, for 3 s: well within five standard deviations (√300 ≈ 17).
      assert.ok(Math.abs(throughput * 3 - 300) < 90, `throughput ${throughput}`);
      const p50 = await value(page, 'metric-latency-p50');
      const p99 = await value(page, 'metric-latency-p99');
      assert.ok(p50 >= 20 && p99 > p50, `p50 ${p50}, p99 ${p99} (the database takes 20 ms)`);
      assert.ok((await value(page, 'metric-loop-delay')) >= 20, 'a 50 ms route delays the loop');
      const elu = await value(page, 'metric-elu');
      assert.ok(elu > 0.3 && elu < 1, `ELU ${elu}`);
      // A few requests at most are still in flight at the end (Little's law: ~100/s × ~50 ms).
      assert.ok((await value(page, 'metric-inflight')) < 50);
      assert.ok(
        (await value(page, 'metric-memory')) > (await value(page, 'metric-memory-resident')),
      );
      // The same arrivals on four cores: the fast requests pass the slow one.
      const threadsP99 = await value(page, 'threads-metric-latency-p99');
      assert.ok(threadsP99 < p99, `threads p99 ${threadsP99} < loop p99 ${p99}`);
      assert.ok(Math.abs((await value(page, 'threads-metric-throughput')) - throughput) < 10);
      assert.ok((await value(page, 'threads-metric-memory')) > 0);
      assert.ok((await value(page, 'threads-metric-memory-resident')) > 0);
      assert.ok((await value(page, 'threads-metric-inflight')) < 50);
      assert.ok((await value(page, 'threads-metric-latency-p50')) > 0);
      // Its cores' utilisation: one request in ten of 100 a second runs ~50 ms of CPU, about
      // half a core of its four (Poisson arrivals over 3 s: about a fifth either way).
      const cores = await value(page, 'threads-metric-elu');
      assert.ok(cores > 0.07 && cores < 0.2, `cores busy ${cores}`);
      // Rarely more runnable threads than cores: slices seldom wait for one, and far less
      // than the loop's requests wait behind the CPU route.
      const runDelay = await value(page, 'threads-metric-loop-delay');
      assert.ok(
        runDelay >= 0 && runDelay < (await value(page, 'metric-loop-delay')),
        `${runDelay}`,
      );
      assert.match(
        await text(page, 'load-diagnosis'),
        /^The loop is blocked: p99 delay \d+ ms, caused by GET \/report\/cpu/,
      );
      // A line per server on each chart, a point per virtual second.
      for (const id of ['chart-throughput', 'chart-latency', 'chart-inflight', 'chart-memory']) {
        const paths = page.getByTestId(id).locator('path.line');
        assert.ok((await paths.count()) >= 2, `${id}: loop and threads`);
        assert.equal(((await paths.first().getAttribute('d')).match(/[ML]/g) ?? []).length, 3);
      }
      // Both servers' memory against the machine's RAM.
      assert.equal(
        await page.getByTestId('chart-memory').locator('.limit text').textContent(),
        'RAM 1 GiB',
      );
      // p50 and p99 of each server.
      assert.equal(await page.getByTestId('chart-latency').locator('path.line').count(), 4);
      const summary = await text(page, 'load-summary');
      assert.ok(summary.includes('latency p99') && summary.includes('threads'), summary);
      assert.ok(summary.includes('libuv pool: busy workers'), summary);
      // The memory figures say where they come from.
      assert.match(
        await text(page, 'load-memory-note'),
        /\+ 11\.3 KB per pending request, measured on real Node 20 \(scripts\/measure-pending-memory\.out\)/,
      );
      // The other panes kept counting.
      assert.ok(Number(await text(page, 'requests-done')) > 250);
      await page.getByTestId('load-pane').scrollIntoViewIfNeeded();
      await shot(page, 'load-cpu-route-1280x800.png', { fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('10,000 users: Pause and Step work mid-load, Stop keeps the figures', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 400, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await page.getByTestId('load-preset-ten-thousand').click();
      // Ten thousand users wait on the database at once: all in flight on one thread.
      await page.waitForFunction(
        () =>
          Number(document.querySelector('[data-testid="metric-inflight"]')?.dataset.value) >= 10000,
        null,
        { timeout: 120_000 },
      );
      await page.getByTestId('pause').click();
      await idle(page);
      const steps = Number((await text(page, 'caption')).match(/step (\d+)/)?.[1]);
      await page.getByTestId('step').click();
      await idle(page);
      assert.equal(Number((await text(page, 'caption')).match(/step (\d+)/)?.[1]), steps + 1);
      assert.equal(await page.locator('.load-result').getAttribute('data-running'), 'true');
      await page.getByTestId('load-stop').click();
      await idle(page);
      await ended(page, 10_000);
      // Stopped early: the loop's figures until then, the diagnosis, the thread server's limits.
      const memory = await value(page, 'metric-memory');
      assert.ok(memory > 100 * 2 ** 20 && memory < 2 ** 30, `10,000 pending in MBs: ${memory}`);
      assert.match(await text(page, 'load-diagnosis'), /^The loop is /);
      assert.match(await text(page, 'load-summary'), /^Until stopped/);
      assert.match(await page.locator('.load-note').textContent(), /It ran \d+ threads at most/);
      await page.getByTestId('load-pane').scrollIntoViewIfNeeded();
      await shot(page, 'load-narrow-400-full.png', { fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Links, embeds and the postMessage API (src/link.rs, src/host_api.rs, docs/embed.md).
// ---------------------------------------------------------------------------------------------

/** The step the caption shows. */
const stepShown = async (page) =>
  Number((await page.locator('.caption-step').textContent()).replace(/\D/g, ''));

/** What the panes show: compared between a run and the same run opened from its link. */
const panes = async (page) => ({
  step: await stepShown(page),
  clock: await text(page, 'clock'),
  console: await page.getByTestId('console-line').allTextContents(),
  requests: await text(page, 'requests'),
  queues: await text(page, 'queue-poll'),
  microtasks: await text(page, 'queue-microtask'),
  pool: await text(page, 'threadpool'),
  stack: await text(page, 'call-stack'),
});

describe('links, embeds and the postMessage API', () => {
  let server;
  let docs;
  before(async () => {
    server = await startServer({ root: DIST });
    // The example course page, on another origin (another port).
    docs = await startServer({ root: join(here, '..', '..', 'docs') });
  });
  after(async () => {
    await server?.close();
    await docs?.close();
  });

  test('Share gives a link that opens the same run at the same step', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      // (The address follows a settled view a moment later: wait until it has.)
      await idle(page);
      await page.waitForFunction(() => !('addressDue' in document.documentElement.dataset));
      assert.equal(new URL(page.url()).hash, '', 'the page as it opens is just its address');
      await page.getByTestId('pool-size').fill('2');
      await page.getByTestId('pool-size').press('Enter');
      await idle(page);
      await startServer_(page);
      await page.getByTestId('burst-size').fill('12');
      await page.getByTestId('send-burst').click();
      await idle(page);
      for (let i = 0; i < 40; i++) {
        await page.getByTestId('step').click();
        await idle(page);
      }
      const before = await panes(page);
      // The address follows the paused state.
      await page.waitForFunction((n) => location.hash.includes(`step=${n}`), before.step);
      await page.getByTestId('share').click();
      const link = await page.getByTestId('share-link').inputValue();
      assert.match(link, /#v=1&.*pool=2.*&in=.*&step=\d+/);
      assert.ok(link.includes(`step=${before.step}`), link);
      assert.match(
        await page.getByTestId('embed-code').inputValue(),
        /^<iframe src=".*embed=1.*" title="Looplab/,
      );

      await shot(page, 'share-panel-1280x800.png');

      const opened = await context.newPage();
      await openLink(opened, link);
      assert.deepEqual(await panes(opened), before);
      assert.equal(await opened.getByTestId('pool-size').inputValue(), '2');
      assert.equal(await opened.getByTestId('burst-size').inputValue(), '12');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the Share panel fits a 400 px screen and its embed options change the snippet', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 400, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await page.getByTestId('share').click();
      const box = await page.getByTestId('share-panel').boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 400 + 0.5, JSON.stringify(box));
      assert.equal((await overflow(page)).x, 0, 'no sideways scrolling');
      const snippet = () => page.getByTestId('embed-code').inputValue();
      assert.match(await snippet(), /#v=1&amp;embed=1"/);
      await page.getByTestId('embed-pane-requests').check();
      await page.getByTestId('embed-editor').selectOption('hidden');
      await page.getByTestId('embed-preview').check();
      await page.getByTestId('embed-theme').selectOption('dark');
      assert.match(
        await snippet(),
        /#v=1&amp;theme=dark&amp;embed=1&amp;panes=loop,stack,queues,pool,console,requests,editor&amp;editor=hidden&amp;preview=1" title="Looplab: the Node.js event loop" width="100%" height="560" loading="lazy"/,
      );
      await shot(page, 'share-panel-400.png');
      await page.getByTestId('share-close').click();
      assert.equal(await page.getByTestId('share-panel').count(), 0);
      // Opened, focus is in the panel; Escape closes it (and stops nothing).
      await page.getByTestId('share').click();
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'share-link');
      await page.keyboard.press('Escape');
      assert.equal(await page.getByTestId('share-panel').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a damaged or hostile link opens the default page with a notice', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      const huge = 'A'.repeat(20_000);
      await page.goto(`${server.url}#v=1&pool=1000000000&code=${huge}&colour=blue`);
      await waitForApp(page);
      const notice = await text(page, 'notice');
      assert.match(notice, /`pool`: 1000000000 is outside 1–16/);
      assert.match(notice, /`code`: is 20000 characters compressed/);
      assert.match(notice, /`colour` is not a key/);
      assert.match(notice, /default program was opened/);
      assert.equal(await page.getByTestId('pool-size').inputValue(), '4');
      assert.equal(await page.getByTestId('preset-select').inputValue(), 'server');
      await page.getByTestId('notice-dismiss').click();
      assert.equal(await page.getByTestId('notice').count(), 0);
      // The page works: it runs its program.
      await startServer_(page);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('an embed shows the chosen panes, a read-only editor and Open in Looplab', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 320, height: 400 } });
    try {
      await page.goto(`${server.url}?embed&panes=loop,stack,editor&theme=dark#preset=blocked-loop`);
      await page.getByTestId('phase-poll').waitFor();
      for (const id of [
        'phase-poll',
        'call-stack',
        'program-editor',
        'open-in-looplab',
        'play',
        'step',
      ]) {
        assert.equal(await page.getByTestId(id).count(), 1, id);
      }
      for (const id of [
        'console',
        'threadpool',
        'requests',
        'load-pane',
        'share',
        'speed',
        'preset-select',
      ]) {
        assert.equal(await page.getByTestId(id).count(), 0, `${id} is not in this embed`);
      }
      assert.notEqual(await page.locator('textarea.code-input').getAttribute('readonly'), null);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      assert.equal((await overflow(page)).x, 0, 'no sideways scrolling at 320 px');
      await page.getByTestId('step').click();
      await idle(page);
      await page.getByTestId('open-in-looplab').hover();
      const href = await page.getByTestId('open-in-looplab').getAttribute('href');
      assert.match(href, /#v=1&preset=blocked-loop&step=1&theme=dark$/);
      await shot(page, 'embed-320x400.png');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('preview: nothing runs until the reader clicks', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 640, height: 400 } });
    try {
      await page.goto(
        `${server.url}#embed=1&preview=1&autoplay=1&preset=nexttick-vs-promises&speed=max`,
      );
      await page.getByTestId('preview-start').waitFor();
      assert.match(await page.getByTestId('preview').textContent(), /process\.nextTick/);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.sim), undefined);
      await page.getByTestId('preview-start').click();
      // Started, it autoplays: the program prints.
      await page.getByTestId('console-line').first().waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a course page on another origin drives the frame and hears its events', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1100, height: 900 } });
    const warnings = [];
    page.on('console', (msg) => {
      if (msg.type() === 'warning' && msg.text().startsWith('Looplab embed API'))
        warnings.push(msg.text());
    });
    try {
      assert.notEqual(new URL(docs.url).origin, new URL(server.url).origin);
      await page.goto(`${docs.url}embed-example.html?frame=${encodeURIComponent(server.url)}`);
      const events = () => page.evaluate(() => window.looplab.events);
      const send = (cmd) => page.evaluate((c) => window.looplab.send(c), cmd);
      await page.waitForFunction(() =>
        window.looplab.events.some((e) => e.type === 'looplab:ready'),
      );
      const frame = page.frames().find((f) => f.url().startsWith(server.url));
      assert.ok(frame, 'the frame');

      // load: the example's program, paused at step 0.
      const program = await page.evaluate(() => window.looplab.program);
      assert.deepEqual(await send({ type: 'looplab:load', program }), {
        type: 'looplab:reply',
        id: 1,
        ok: true,
      });
      await frame.waitForFunction(() => document.documentElement.dataset.sim === 'idle');
      assert.equal(await frame.locator('textarea.code-input').inputValue(), program);

      // step: three steps; the frame tells the step it draws (the latest, when steps come fast).
      const seen = (await events()).length;
      assert.equal((await send({ type: 'looplab:step', n: 3 })).ok, true);
      await page.waitForFunction(
        (n) =>
          window.looplab.events.slice(n).some((e) => e.type === 'looplab:step' && e.step === 3),
        seen,
      );
      const steps = (await events()).slice(seen).filter((e) => e.type === 'looplab:step');
      assert.deepEqual(
        steps.map((e) => e.step),
        [...steps.map((e) => e.step)].sort((a, b) => a - b),
        'in order',
      );
      assert.equal(await stepShown(frame), 3);
      assert.equal(steps.at(-1).phase, 'main');

      // play: the console lines arrive in the order the console pane shows them.
      await send({ type: 'looplab:speed', value: 'max' });
      await send({ type: 'looplab:play' });
      await frame.waitForFunction(() =>
        document.querySelector('[data-testid="console"]')?.textContent.includes('timeout'),
      );
      await page.waitForFunction(() =>
        window.looplab.events.some((e) => e.type === 'looplab:console' && e.line === 'timeout'),
      );
      const lines = (await events()).filter((e) => e.type === 'looplab:console').map((e) => e.line);
      assert.deepEqual(lines, await frame.getByTestId('console-line').allTextContents());
      assert.deepEqual(lines.slice(0, 2), ['main script', 'nextTick'], 'the example program ran');

      // goto: back to step 2, replayed.
      assert.equal((await send({ type: 'looplab:goto', step: 2 })).ok, true);
      await page.waitForFunction(
        () =>
          window.looplab.events.at(-1)?.type === 'looplab:step' &&
          window.looplab.events.at(-1).step === 2,
      );
      const shown = await stepShown(frame);
      assert.equal(shown, 2);

      // Bad messages change nothing: one warning each, a reply when they had an id.
      const before = (await events()).length;
      await page.evaluate(() => {
        window.looplab.post('play');
        window.looplab.post({ type: 'someone-else' });
        window.looplab.post({ type: 'looplab:fly', id: 'x' });
        window.looplab.post({ type: 'looplab:step', n: -4, id: 'y' });
      });
      await page.waitForFunction(
        (n) => window.looplab.events.slice(n).filter((e) => e.type === 'looplab:reply').length >= 2,
        before,
      );
      const replies = (await events()).slice(before).filter((e) => e.type === 'looplab:reply');
      assert.deepEqual(
        replies.map((r) => [r.id, r.ok]),
        [
          ['x', false],
          ['y', false],
        ],
      );
      assert.match(replies[0].reason, /"looplab:fly" is not a command/);
      assert.equal(await stepShown(frame), 2, 'nothing moved');
      assert.equal(warnings.length, 3, warnings.join('\n'));
      // A request to a program that does not listen is refused with a reason.
      const refused = await send({ type: 'looplab:send', route: 'GET /x' });
      assert.equal(refused.ok, false);
      assert.match(refused.reason, /does not listen/);

      // Auto-resize: the host sized the frame to the height the frame reported.
      const resize = (await events()).filter((e) => e.type === 'looplab:resize').at(-1);
      assert.ok(resize && resize.height > 300, JSON.stringify(resize));
      const height = await page.evaluate(
        () => document.getElementById('looplab').getBoundingClientRect().height,
      );
      assert.ok(
        Math.abs(height - Math.max(320, resize.height)) <= 2,
        `${height} vs ${resize.height}`,
      );
      await shot(page, 'embed-host-page.png');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('lessons', () => {
  let server;
  before(async () => {
    server = await startServer({ root: DIST });
  });
  after(async () => {
    await server?.close();
  });

  /** Waits until the step is set up and its question takes an answer. */
  const questionOpen = (page) =>
    page.waitForFunction(
      () => document.querySelector('[data-testid="predict-result"]')?.dataset.state === 'open',
      null,
      { timeout: 120_000 },
    );

  /**
   * Checks the model's answer against what the panes show after the reveal: a line answer was
   * printed before every other option that was; a count of workers or queued jobs is what the
   * pool pane shows; a measured number (latency, threads) is what its pane shows.
   */
  async function checkAnswer(page, question, right, options, verdict) {
    const measured = Number(verdict.match(/It measured ([\d.]+)\./)?.[1]);
    if (/workers are busy/.test(question)) {
      const busy = await page.locator('[data-testid="worker"][data-state="busy"]').count();
      assert.equal(Number(right), busy, question);
    } else if (/wait in the pool's queue/.test(question)) {
      const waiting = await page.getByTestId('pool-queue').getAttribute('data-count');
      assert.equal(Number(right), Number(waiting), question);
    } else if (/print/.test(question) || /runs first/.test(question)) {
      const lines = await page.getByTestId('console-line').allTextContents();
      const at = lines.indexOf(right);
      assert.ok(at >= 0, `${question}: "${right}" was printed`);
      for (const other of options.filter((o) => o !== right && lines.includes(o))) {
        assert.ok(at < lines.indexOf(other), `${question}: "${right}" before "${other}"`);
      }
    } else if (/request #2 take|\(#11\) take/.test(question)) {
      const id = /#11/.test(question) ? 11 : 2;
      const row = page.locator(`[data-testid="request"][data-id="${id}"]`);
      const ms = Number((await row.textContent()).match(/([\d.]+) ms/)[1]);
      assert.ok(
        Math.abs(ms - measured) < 0.11,
        `${question}: the pane says ${ms} ms, the answer ${measured}`,
      );
    } else if (/threads does it run/.test(question)) {
      const peak = await page.getByTestId('threads-metric-threads').getAttribute('data-value');
      assert.equal(Number(peak), measured, question);
    } else {
      assert.fail(`no check for "${question}"`);
    }
  }

  test("every lesson plays to its end; each answer is the model's and the panes agree", async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      await waitForApp(page);
      const count = (await page.getByTestId('lesson-select').locator('option').count()) - 1;
      assert.equal(count, 5, 'five lessons');
      for (let n = 1; n <= count; n++) {
        await page.getByTestId('lesson-select').selectOption(String(n - 1));
        await page.getByTestId('lesson').waitFor();
        for (;;) {
          await idle(page);
          const progress = await text(page, 'lesson-progress');
          const [, step, total] = progress.match(/Step (\d+) of (\d+)/).map(Number);
          await page.waitForFunction((s) => location.hash.includes(`step=${s}`), step);
          assert.ok(new URL(page.url()).hash.startsWith(`#lesson=${n}&step=${step}`));
          if ((await page.getByTestId('predict-question').count()) === 1) {
            const question = await text(page, 'predict-question');
            await questionOpen(page);
            await page.getByTestId('predict-option').first().click();
            await page.waitForFunction(
              () =>
                /right|wrong/.test(
                  document.querySelector('[data-testid="predict-result"]')?.dataset.state,
                ),
              null,
              { timeout: 120_000 },
            );
            const right = page.locator('[data-testid="predict-option"].right');
            assert.equal(await right.count(), 1, `${question}: one option is the model's`);
            const answer = (await right.textContent()).replace(" (the model's answer)", '').trim();
            const options = await page.getByTestId('predict-option').allTextContents();
            const verdict = await text(page, 'predict-result');
            assert.match(verdict, /^(Right|Not quite)/);
            await checkAnswer(page, question, answer, options, verdict);
            await shot(page, `lesson-${n}-step-${step}.png`);
          }
          if (step === total) break;
          await page.getByTestId('lesson-next').click();
          await page.waitForFunction(
            (s) =>
              document
                .querySelector('[data-testid="lesson-progress"]')
                ?.textContent.startsWith(`Step ${s} `),
            step + 1,
          );
        }
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a lesson by link, in an embed, keyboard-operable', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 400, height: 800 } });
    try {
      await page.goto(`${server.url}#lesson=3&step=2&embed=1`);
      await page.getByTestId('lesson').waitFor();
      assert.equal(await text(page, 'lesson-progress'), 'Step 2 of 4');
      await idle(page);
      // The keyboard reaches the options: Tab goes from one to the next, Enter answers.
      await questionOpen(page);
      await page.getByTestId('predict-option').first().focus();
      await page.keyboard.press('Tab');
      const second = page.getByTestId('predict-option').nth(1);
      assert.equal(await second.evaluate((el) => el === document.activeElement), true);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() =>
        /right|wrong/.test(document.querySelector('[data-testid="predict-result"]')?.dataset.state),
      );
      assert.equal(await second.getAttribute('aria-pressed'), 'true');
      // Answered, the option keeps the focus (aria-disabled, not disabled).
      assert.equal(await second.evaluate((el) => el === document.activeElement), true);
      assert.equal(await page.getByTestId('predict-result').getAttribute('role'), 'status');
      await page.getByTestId('lesson-prev').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="lesson-progress"]')?.textContent === 'Step 1 of 4',
      );
      assert.equal((await overflow(page)).x, 0);
      await shot(page, 'lesson-embed-400.png');
      // A link to no lesson says so (a new page: a changed fragment alone does not reload).
      const other = await context.newPage();
      await other.goto(`${server.url}#lesson=9`);
      await waitForApp(other);
      assert.match(await text(other, 'notice'), /no lesson is called "9"/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

/** Where the timeline's callbacks are drawn: from the lanes' left edge to the last block's
 * right edge (after it the loop may only wait). */
async function timelineExtent(page) {
  // Scrolled to the top of the screen: at 1280x800 the strip is under the fold, and the caption
  // is pinned to the bottom.
  await page.evaluate(() => {
    const t = document.querySelector('[data-testid="timeline"]');
    window.scrollTo(0, t.getBoundingClientRect().top + window.scrollY - 60);
  });
  const box = await page.locator('.tl-lanes').boundingBox();
  const last = await page
    .locator('.tl-lane-main [data-testid="timeline-block"]')
    .last()
    .boundingBox();
  return { x: box.x, y: box.y, width: last.x + last.width - box.x };
}

/** Clicks the timeline at `fraction` of the time its callbacks span; returns the step it went
 * to. */
async function clickTimeline(page, fraction, y = 6) {
  const box = await timelineExtent(page);
  await page.mouse.click(box.x + box.width * fraction, box.y + y);
  await idle(page);
  return Number(await page.getByTestId('timeline-cursor').getAttribute('data-step'));
}

/** Clicks the centre of the main thread's callback at `fraction` of those drawn alone (one
 * callback, not a merged group) and wide enough to hit; returns the step it ran in. */
async function clickCallback(page, fraction) {
  await timelineExtent(page);
  const blocks = page.locator('.tl-lane-main [data-testid="timeline-block"][data-count="1"]');
  const wide = [];
  for (const b of await blocks.all()) {
    if ((await b.boundingBox()).width >= 2) wide.push(b);
  }
  const block = wide[Math.floor(wide.length * fraction)];
  const step = Number(await block.getAttribute('data-step'));
  const at = await block.boundingBox();
  await page.mouse.click(at.x + at.width / 2, at.y + at.height / 2);
  await idle(page);
  return step;
}

/** Every pane that shows the step, by name: its text (spaces collapsed) and every data attribute
 * of what it draws (the ring's active phase, each worker busy or idle, each request's state...).
 * The timeline itself is left out: it says "the past" of a step scrubbed to. */
const everyPane = (page) =>
  page.evaluate(() => {
    const panes = {
      'event loop': 'loop',
      'call stack': 'call-stack',
      queues: 'queues',
      'thread pool': 'threadpool',
      console: 'console',
      requests: 'requests',
      caption: 'caption',
    };
    return Object.fromEntries(
      Object.entries(panes).map(([name, id]) => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        const drawn = [el, ...el.querySelectorAll('*')]
          .map((e) => JSON.stringify({ ...e.dataset }))
          .filter((d) => d !== '{}');
        return [name, { text: el.textContent.replace(/\s+/g, ' ').trim(), drawn }];
      }),
    );
  });

describe('time travel and the timeline', () => {
  let server;
  before(async () => {
    server = await startServer({ root: DIST });
  });
  after(async () => {
    await server?.close();
  });

  /** Sends a burst of `n` file reads to the default server. */
  async function sendBurst(page, n) {
    await page.getByTestId('route-select').selectOption({ label: 'GET /files/report' });
    await page.getByTestId('burst-size').fill(String(n));
    await page.getByTestId('burst-size').dispatchEvent('change');
    await page.getByTestId('send-burst').click();
    await idle(page);
  }

  /** The default server, listening and idle, with a burst of `n` file reads just sent; the
   * step it was sent at. */
  async function sentBurst(page, n) {
    await page.goto(server.url);
    await waitForApp(page);
    await startServer_(page);
    await sendBurst(page, n);
    return stepShown(page);
  }

  /** The default server after a burst of `n` requests, played to their end and paused. */
  async function ranBurst(page, n) {
    await sentBurst(page, n);
    return playedOut(page, n);
  }

  /** Plays until `n` requests are answered, and pauses; the step it paused at. */
  async function playedOut(page, n) {
    await page.getByTestId('play').click();
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="requests-done"]')?.textContent === String(n),
      n,
      { timeout: 60_000 },
    );
    await page.getByTestId('pause').click();
    await idle(page);
    return stepShown(page);
  }

  test('scrubbing a long run shows at once the panes a link to that step replays', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      const present = await ranBurst(page, 200);
      assert.ok(present > 1500, `${present} steps`);
      const timeline = page.getByTestId('timeline');
      assert.ok((await page.getByTestId('timeline-block').count()) > 10);
      // Blocks say where they are: a phase, a step, a start and a CPU time.
      const block = await page
        .locator('.tl-lane-main [data-testid="timeline-block"]')
        .first()
        .evaluate((b) => ({ ...b.dataset }));
      assert.ok(
        ['main', 'timers', 'pending', 'poll', 'check', 'close', 'mixed'].includes(block.phase),
        block.phase,
      );
      assert.ok(Number(block.step) >= 1 && Number(block.durUs) >= 0 && block.startUs !== undefined);
      assert.ok(
        (await page
          .locator('.tl-lane[data-lane="worker-1"] [data-testid="timeline-block"]')
          .count()) > 0,
        'file reads are jobs on the pool workers',
      );
      // The loop's iterations are marked on the main lane, left to right in order, each at
      // the step it began.
      const marks = await page.locator('.tl-lane-main .tl-mark').evaluateAll((ms) =>
        ms.map((m) => ({
          it: Number(m.dataset.iteration),
          step: Number(m.dataset.step),
          x: parseFloat(m.style.left),
        })),
      );
      assert.ok(marks.length > 1, `${marks.length} iteration marks`);
      for (let i = 1; i < marks.length; i++) {
        const [a, b] = [marks[i - 1], marks[i]];
        assert.ok(
          b.it > a.it && b.step >= a.step && b.x >= a.x && b.step <= present,
          JSON.stringify([a, b]),
        );
      }

      // A click goes to the step that was running then: the past, shown at once.
      const k = await clickTimeline(page, 0.4);
      assert.ok(k > 0 && k < present, `${k}`);
      assert.equal(await stepShown(page), k);
      assert.match(await timeline.locator('.pane-note').textContent(), /the past: step \d+ of \d+/);
      assert.equal(await page.getByTestId('rewind-progress').count(), 0, 'nothing replays');
      assert.match(await text(page, 'timeline-text'), new RegExp(`^Step ${k}, at `));
      const scrubbed = await panes(page);

      // Stepping there: the same run opened from its link replays the JavaScript to that step.
      await page.waitForFunction((n) => location.hash.includes(`step=${n}`), k);
      const stepped = await context.newPage();
      await openLink(stepped, page.url());
      assert.deepEqual(await panes(stepped), scrubbed);
      await stepped.close();

      // Drag: the cursor follows the pointer.
      const box = await timelineExtent(page);
      await page.mouse.move(box.x + box.width * 0.2, box.y + 6);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + 6, { steps: 5 });
      await page.mouse.up();
      await idle(page);
      const dragged = await stepShown(page);
      assert.ok(dragged > k, `${dragged} after ${k}`);

      // Keys, with the strip focused: a step back and forth, Home and End.
      await page.locator('.tl-body').focus();
      await page.keyboard.press('ArrowLeft');
      await idle(page);
      assert.equal(await stepShown(page), dragged - 1);
      await page.keyboard.press('ArrowRight');
      await idle(page);
      assert.equal(await stepShown(page), dragged);
      await page.keyboard.press('End');
      await idle(page);
      assert.equal(await stepShown(page), present);
      assert.match(
        await timeline.locator('.pane-note').textContent(),
        new RegExp(`^step ${present}$`),
      );
      await page.keyboard.press('Home');
      await idle(page);
      assert.ok((await stepShown(page)) <= 2);

      // Zoom: the window narrows around the cursor and the blocks grow; back out to the whole run.
      assert.equal(await page.getByTestId('timeline-zoom-out').isDisabled(), true);
      await clickTimeline(page, 0.5);
      const wide = await page.locator('.tl-axis').textContent();
      for (let i = 0; i < 4; i++) await page.getByTestId('timeline-zoom-in').click();
      assert.notEqual(await page.locator('.tl-axis').textContent(), wide);
      assert.equal(await page.getByTestId('timeline-cursor').isVisible(), true);
      for (let i = 0; i < 4; i++) await page.getByTestId('timeline-zoom-out').click();
      assert.equal(await page.locator('.tl-axis').textContent(), wide);

      // The wheel: up zooms in around the pointer, a trackpad pinch (a wheel with Ctrl) too,
      // Shift pans, and down zooms back out to the whole run.
      const wheel = (opts) =>
        page.locator('.tl-lanes').evaluate((lanes, opts) => {
          const r = lanes.getBoundingClientRect();
          const e = new WheelEvent('wheel', {
            clientX: r.left + r.width / 2,
            clientY: r.top + r.height / 2,
            bubbles: true,
            cancelable: true,
            ...opts,
          });
          lanes.dispatchEvent(e);
          return e.defaultPrevented;
        }, opts);
      assert.equal(await wheel({ deltaY: -100 }), true);
      const wheeled = await page.locator('.tl-axis').textContent();
      assert.notEqual(wheeled, wide);
      assert.equal(await wheel({ deltaY: -100, ctrlKey: true }), true);
      const pinched = await page.locator('.tl-axis').textContent();
      assert.notEqual(pinched, wheeled);
      assert.equal(await wheel({ deltaY: 100, shiftKey: true }), true);
      assert.notEqual(await page.locator('.tl-axis').textContent(), pinched);
      for (let i = 0; i < 12; i++) await wheel({ deltaY: 100 });
      assert.equal(await page.locator('.tl-axis').textContent(), wide);

      await shot(page, 'timeline-1280x800.png', { fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('scrubbing a long run shows the same panes as pressing Step to each step', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      const sent = await sentBurst(page, 200);
      const present = await playedOut(page, 200);
      assert.ok(present > 1500, `${present} steps`);
      // Scrubbed: clicks across the strip (its start, middle and end), a drag, and the
      // keyboard on the focused strip; every step is shown from the history, at once.
      const scrubbed = new Map();
      const keep = async () => {
        const k = await stepShown(page);
        assert.equal(await page.getByTestId('rewind-progress').count(), 0, 'nothing replays');
        scrubbed.set(k, await everyPane(page));
      };
      for (const f of [0.05, 0.3, 0.55, 0.8]) {
        await clickTimeline(page, f);
        await keep();
      }
      const box = await timelineExtent(page);
      await page.mouse.move(box.x + box.width * 0.6, box.y + 6);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.7, box.y + 6, { steps: 4 });
      await page.mouse.up();
      await idle(page);
      await keep();
      await page.locator('.tl-body').focus();
      await page.keyboard.press('ArrowLeft');
      await idle(page);
      await keep();
      await page.keyboard.press('End');
      await idle(page);
      await keep();
      const steps = [...scrubbed.keys()].sort((a, b) => a - b);
      assert.ok(
        steps.length >= 6 && steps[0] < present / 5 && steps.at(-1) === present,
        `scrubbed to steps ${steps} of ${present}`,
      );

      // Stepped: the same program in a fresh page, the Step button pressed from its first
      // step to each of those, and the burst sent at the step it was sent at before. (The
      // presses go one after another in the simulation, as a reader's would; pressing them
      // from inside the page only saves a round trip each.)
      const stepping = await context.newPage();
      await stepping.goto(server.url);
      await waitForApp(stepping);
      const stepTo = async (k) => {
        const from = await stepShown(stepping);
        await stepping
          .getByTestId('step')
          .evaluate((button, n) => Array.from({ length: n }, () => button.click()), k - from);
        await stepping
          .waitForFunction(
            (k) => document.querySelector('.caption-step').textContent === `step ${k}`,
            k,
            { timeout: 30_000 },
          )
          .catch(() => {});
        await idle(stepping);
        assert.equal(await stepShown(stepping), k, `stepped from ${from} towards ${k}`);
      };
      let burst = false;
      for (const k of steps) {
        if (!burst && k >= sent) {
          await stepTo(sent);
          await sendBurst(stepping, 200);
          burst = true;
        }
        await stepTo(k);
        const stepped = await everyPane(stepping);
        for (const [pane, shown] of Object.entries(scrubbed.get(k))) {
          // (The caption too, exactly: a step played fast is recorded with the operation it
          // names, as stepping there names it.)
          assert.deepEqual(
            stepped[pane],
            shown,
            `step ${k}: the ${pane} stepped to differs from the ${pane} scrubbed to`,
          );
        }
      }
      await stepping.close();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('touch: one finger drags the cursor, two pinch to zoom around them and pan', async () => {
    const { context, page, problems } = await openPage({
      viewport: { width: 1280, height: 800 },
      hasTouch: true,
    });
    try {
      const present = await ranBurst(page, 40);
      const extent = await timelineExtent(page);
      const lanes = await page.locator('.tl-lanes').boundingBox();
      // Real touches, as the screen sends them (Chromium makes them touch pointer events):
      // each call gives every finger still down, by id, at lanes-relative x (a fraction of
      // the lanes' width).
      const cdp = await context.newCDPSession(page);
      const y = lanes.y + 20;
      const touch = (type, ...xs) =>
        cdp.send('Input.dispatchTouchEvent', {
          type,
          touchPoints: xs.map((x, id) => ({ x: lanes.x + lanes.width * x, y, id })),
        });
      /** The strip's window (µs): from and to, as its axis says. */
      const shown = () =>
        page.getByTestId('timeline-axis').evaluate((a) => ({
          from: Number(a.dataset.fromUs),
          to: Number(a.dataset.toUs),
        }));
      /** The window once the page has drawn one other than `before` (or `before`, if it never
       * does: the assertions after it say what was expected). */
      const changedFrom = async (before) => {
        await page
          .waitForFunction(
            ({ from, to }) => {
              const a = document.querySelector('[data-testid="timeline-axis"]').dataset;
              return Number(a.fromUs) !== from || Number(a.toUs) !== to;
            },
            before,
            { timeout: 5_000 },
          )
          .catch(() => {});
        return shown();
      };
      const near = (a, b, span, what) =>
        assert.ok(Math.abs(a - b) <= span / 100, `${what}: ${a} µs, expected ${b}`);
      const whole = await shown();
      assert.equal(whole.from, 0, 'the whole run at first');

      // One finger: down puts the cursor there, moving drags it, as the mouse does; no zoom.
      const at = (f) => (extent.x - lanes.x + extent.width * f) / lanes.width;
      await touch('touchStart', at(0.2));
      await idle(page);
      const tapped = await stepShown(page);
      assert.ok(tapped > 1 && tapped < present, `a touch went to step ${tapped} of ${present}`);
      await touch('touchMove', at(0.4));
      await touch('touchMove', at(0.6));
      await touch('touchEnd');
      await idle(page);
      const dragged = await stepShown(page);
      assert.ok(dragged > tapped, `one finger dragged the cursor from ${tapped} to ${dragged}`);
      assert.equal(
        Number(await page.getByTestId('timeline-cursor').getAttribute('data-step')),
        dragged,
      );
      assert.deepEqual(await shown(), whole, 'one finger does not zoom');

      // Two fingers 10% of the width apart around 45%, spread to 30% apart: a third of the run
      // shown, the time that was midway between them still midway.
      await touch('touchStart', 0.4);
      await touch('touchStart', 0.4, 0.5);
      await touch('touchMove', 0.3, 0.6);
      const pinched = await changedFrom(whole);
      const third = whole.to / 3;
      near(pinched.to - pinched.from, third, third, 'spread three times as far apart, the span');
      near(pinched.from + 0.45 * (pinched.to - pinched.from), 0.45 * whole.to, third, 'midway');
      // Both fingers moved 10% of the width to the right, as far apart: the window pans a
      // tenth of itself earlier (the run follows the fingers), the same size.
      await touch('touchMove', 0.4, 0.7);
      const panned = await changedFrom(pinched);
      const span = pinched.to - pinched.from;
      near(panned.to - panned.from, span, span, 'moved together, the span');
      near(panned.from, pinched.from - span / 10, span, 'moved together, the start');
      await touch('touchEnd');
      await idle(page);
      // (The first finger put the cursor where it touched; the second took it back.)
      assert.equal(await stepShown(page), dragged, 'a pinch leaves the cursor where it was');
      assert.equal(await page.getByTestId('timeline-zoom-out').isDisabled(), false);

      // Pinched together: back out to the whole run.
      await touch('touchStart', 0.2);
      await touch('touchStart', 0.2, 0.8);
      await touch('touchMove', 0.45, 0.55);
      assert.deepEqual(await changedFrom(panned), whole, 'pinched together, the whole run');
      await touch('touchEnd');
      await idle(page);
      assert.equal(await page.getByTestId('timeline-zoom-out').isDisabled(), true);
      assert.equal(await stepShown(page), dragged);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('another pool size from the past: a new future, and the past of the new run at once', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      const present = await ranBurst(page, 20);
      // A callback late in the run.
      await clickCallback(page, 0.8);
      const k = await stepShown(page);
      assert.ok(k > 10 && k < present, `${k} of ${present}`);
      await page.getByTestId('pool-size').fill('1');
      await page.getByTestId('pool-size').press('Enter');
      await idle(page);
      await page.waitForFunction(
        (k) =>
          document
            .querySelector('[data-testid="caption"]')
            ?.textContent.includes(`A new future from step ${k} with`),
        k,
      );
      assert.equal(await stepShown(page), k);
      assert.equal(await page.getByTestId('pool-size').inputValue(), '1');
      // The replay in the new process recorded every step it passed: the history starts at
      // the run's first step, not at the branch.
      const timeline = page.getByTestId('timeline');
      assert.equal(await timeline.getAttribute('data-history-from'), '0');
      // Back through the new past: shown from the history, with one worker.
      // (Replaying would say so: "Stepped back to step N (replayed from the start...)".)
      await page.getByTestId('step-back').click();
      await idle(page);
      assert.equal(await stepShown(page), k - 1);
      assert.doesNotMatch(await text(page, 'caption'), /replayed/);
      await clickTimeline(page, 0.05);
      await idle(page);
      const early = await stepShown(page);
      assert.ok(early < k - 1, `${early}`);
      assert.doesNotMatch(await text(page, 'caption'), /replayed/);
      assert.equal(await page.getByTestId('worker').count(), 1, 'one worker in the new past');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('going on from the past starts a new future from that step', async () => {
    const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 } });
    try {
      const present = await ranBurst(page, 20);
      // A callback in the middle of the burst: not every request is answered yet.
      const clicked = await clickCallback(page, 0.6);
      const k = await stepShown(page);
      assert.equal(k, clicked, 'a click on a callback shows the step that ran it');
      assert.ok(
        k < present,
        `${k} of ${present}; ${await text(page, 'timeline-text')}; ${await page.locator('.tl-axis').textContent()}`,
      );
      const done = Number(await text(page, 'requests-done'));
      assert.ok(done < 20, `${done} answered at step ${k}`);
      await page.getByTestId('route-select').selectOption({ label: 'GET /users/:id' });
      await page.getByTestId('send-request').click();
      await idle(page);
      await page.waitForFunction(
        (k) =>
          document
            .querySelector('[data-testid="caption"]')
            ?.textContent.includes(`A new future from step ${k}`),
        k,
      );
      assert.equal(await stepShown(page), k);
      assert.match(
        await page.getByTestId('timeline').locator('.pane-note').textContent(),
        new RegExp(`^step ${k}$`),
        'the old future is gone: this is the present',
      );
      assert.equal(Number(await text(page, 'requests-done')), done);
      // The request sent from there is the newest, and the run goes on with it.
      await page.getByTestId('play').click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="requests-done"]')?.textContent === '21',
        null,
        { timeout: 60_000 },
      );
      await page.getByTestId('pause').click();
      await idle(page);
      assert.match(
        await page.getByTestId('request').first().textContent(),
        /#21\s*GET \/users\/21/,
      );
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
