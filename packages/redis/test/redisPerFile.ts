import { afterAll, afterEach, beforeAll } from 'vitest';
import { redisForTests } from '../../../test-support/redisForTests.js';

/**
 * The Redis of one test file (started before its tests, stopped after), and
 * what each test opened on it, closed after that test in reverse order.
 * Called at the top level of the file.
 */
export function redisPerFile(): { readonly url: () => string; readonly closers: Array<() => Promise<void>> } {
  let redis: Awaited<ReturnType<typeof redisForTests>> | undefined;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => void (redis = await redisForTests()));
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => redis?.stop());
  return { url: () => redis!.url, closers };
}
