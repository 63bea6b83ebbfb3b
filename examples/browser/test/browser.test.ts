import { execFileSync } from 'node:child_process';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePage, type PageAndServer } from '../src/servePage.js';

/** A bound on each wait for the page: generous for a busy machine, never a timing assertion. */
const PAGE_WAIT_MS = 30_000;

let served: PageAndServer;
let browser: Browser;

beforeAll(async () => {
  served = await servePage();
  browser = await puppeteer.launch({
    executablePath: execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim(),
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    headless: true,
  });
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** Evaluated in the page (as text: this file is type-checked for Node, the page for the DOM). */
const FINISHED = `['done', 'failed'].includes(document.body.dataset.state)`;
const SHOWN = `(() => {
  const text = (id) => document.getElementById(id).textContent ?? '';
  return {
    state: document.body.dataset.state ?? '',
    status: text('status'),
    progress: String(document.getElementById('progress').value),
    step: text('step'),
    result: text('result'),
    events: text('events'),
  };
})()`;

/** What the page shows once it is done (or failed). */
async function outcome(page: Page): Promise<Record<string, string>> {
  await page.waitForFunction(FINISHED, { timeout: PAGE_WAIT_MS });
  return (await page.evaluate(SHOWN)) as Record<string, string>;
}

describe('the browser example in headless Chromium', () => {
  it.each(['legacy', 'modern'] as const)('%s era: progress bar to the end, the result, list_changed and a broadcast', async (era) => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    try {
      await page.goto(served.pageUrl(era));
      const shown = await outcome(page);
      expect(shown, `page errors: ${errors.join('; ')}`).toMatchObject({
        state: 'done',
        status: 'connected',
        progress: '1',
        step: 'Step 5/5',
        result: "Task 'browser' completed",
      });
      expect(shown.events).toContain('tools/list_changed');
      expect(shown.events).toContain('broadcast: hello from the server');
    } finally {
      await page.close();
    }
  });
});
