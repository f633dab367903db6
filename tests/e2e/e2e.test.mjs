// End-to-end tests of the release build in dist/: headless Chromium (Debian's package) driven by
// playwright-core, the page served by server.mjs. Run: node --test e2e.test.mjs
// (scripts/test.sh builds dist/ first). Every wait is on a selector, never on time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.LOOPLAB_DIST ?? join(here, '..', '..', 'dist'));
const SHOTS = join(here, 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TAGLINE = "The Node.js event loop, live: libuv's phases, Node's queues and the thread pool";

const TEST_IDS = [
  'program-editor',
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
  'console',
  'requests',
  'caption',
];

let browser;

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright adds --no-sandbox itself (chromiumSandbox defaults to false); it also makes a
    // fresh profile directory for every launch.
    args: [
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
    ],
  });
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
  await scope.locator('[data-testid="worker"]').nth(3).waitFor({ state: 'attached', timeout: 5_000 });
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
      assert.deepEqual(await overflow(page), { x: 0, y: 0 });
      // Every region is on screen, not clipped below the fold.
      for (const id of TEST_IDS) {
        const box = await page.getByTestId(id).boundingBox();
        assert.ok(box, `${id} has no box`);
        assert.ok(box.y >= 0 && box.y + box.height <= 800 + 0.5, `${id} is off screen: ${JSON.stringify(box)}`);
        assert.ok(box.x >= 0 && box.x + box.width <= 1280 + 0.5, `${id} is off screen: ${JSON.stringify(box)}`);
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
    assert.ok(urls.some((u) => /\.js$/.test(u)), `no script in ${urls}`);
    assert.ok(urls.some((u) => /\.wasm$/.test(u)), `no wasm in ${urls}`);
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
      assert.ok(scrollWidth <= innerWidth, `iframe scrolls sideways: ${scrollWidth} > ${innerWidth}`);
      const served = server.requests.filter((r) => r.status === 200).map((r) => r.path);
      assert.ok(served.some((p) => p.startsWith(PREFIX) && p.endsWith('.wasm')), `wasm not under ${PREFIX}: ${served}`);
      assert.ok(served.some((p) => p.startsWith(PREFIX) && p.endsWith('.css')), `css not under ${PREFIX}: ${served}`);
      assert.deepEqual(server.requests.filter((r) => r.status >= 400), []);
      await page.screenshot({ path: join(SHOTS, 'iframe-host-1280x800.png') });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
