/**
 * Polls `check` until it stops throwing or `timeoutMs` (real time) elapses,
 * then rethrows its last failure. Shared by every package's tests.
 */
export async function waitFor(check: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
