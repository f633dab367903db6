// Debian's Chromium, headless, as every test and benchmark here starts it (playwright-core
// drives it; no browser download). Playwright adds --no-sandbox itself (chromiumSandbox
// defaults to false) and makes a fresh profile directory for every launch; the flags below keep
// Chromium off the network, which this machine's closed network refuses.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}
