import type { Writable } from 'node:stream';

/** Resolves when `stream` can take more bytes, or once it closed (a gone client must not hang the writer). */
export function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
