import type { Readable } from 'node:stream';
import { TransportError } from '@tidings/protocol';
import { createLineReader } from './lineReader.js';

/**
 * Hands a server's stderr to `onLine`, one line at a time. Lines longer than
 * `maxLineBytes` are replaced by a short notice rather than buffered. A
 * throwing `onLine` is reported, never rethrown from the stream's event.
 * Returns the function that stops reading.
 */
export function readStderrLines(
  stderr: Readable,
  maxLineBytes: number,
  onLine: (line: string) => void,
  report: (error: TransportError) => void,
): () => void {
  const call = (line: string): void => {
    try {
      onLine(line);
    } catch (cause) {
      report(new TransportError('The stderr handler threw', { cause }));
    }
  };
  const reader = createLineReader({
    maxLineBytes,
    onLine: call,
    onOversize: (limit) => call(`[a stderr line longer than ${limit} bytes was dropped]`),
  });
  const onData = (chunk: Buffer | string): void => reader.push(chunk);
  const onEnd = (): void => reader.end();
  const ignore = (): void => {};
  stderr.on('data', onData);
  stderr.on('end', onEnd);
  stderr.on('error', ignore);
  return () => {
    stderr.off('data', onData);
    stderr.off('end', onEnd);
  };
}
