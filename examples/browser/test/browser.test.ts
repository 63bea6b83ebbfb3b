import puppeteer, { TimeoutError, type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { servePage, type PageAndServer } from '../src/servePage.js';

/** A bound on each wait for the page: generous for a busy machine, never a timing assertion. */
const PAGE_WAIT_MS = 30_000;

let served: PageAndServer;
let browser: Browser;

beforeAll(async () => {
  served = await servePage();
  browser = await puppeteer.launch({
    executablePath: inject('chromiumPath'),
    // Root in a container has no user namespace for Chromium's sandbox. Puppeteer already turns off
    // background networking and sync and makes a fresh profile; on a closed network Chromium also
    // tries component updates and QUIC, which only fill the log with refused connections.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-component-update', '--disable-quic'],
    headless: true, // --headless=new
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
    counts: text('counts'),
    events: text('events'),
  };
})()`;

/**
 * What the page shows once it is done or failed, or when the bounded wait runs
 * out: the assertions then say what was missing instead of a bare timeout.
 */
async function outcome(page: Page): Promise<Record<string, string>> {
  await page.waitForFunction(FINISHED, { timeout: PAGE_WAIT_MS }).catch((error: unknown) => {
    if (!(error instanceof TimeoutError)) throw error;
  });
  return (await page.evaluate(SHOWN)) as Record<string, string>;
}

/** The protocol version each era negotiates, shown by the page once connected. */
const PROTOCOL = { legacy: '2025-11-25', modern: '2026-07-28' } as const;

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
        status: `connected (protocol ${PROTOCOL[era]})`,
        progress: '1',
        step: 'Step 5/5',
        result: "Task 'browser' completed",
      });
      expect(shown.events).toContain('tools/list_changed: tools/list has added_from_the_browser');
      expect(shown.events).toContain('broadcast: hello from the server');
      // The task's steps change all three lists; merging may fold steps together, never to none.
      expect(shown.counts).toMatch(/^tools ×[1-9]\d* · resources ×[1-9]\d* · prompts ×[1-9]\d*$/);
    } finally {
      await page.close();
    }
  });
});
