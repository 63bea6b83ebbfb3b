import { request, type IncomingMessage } from 'node:http';

/** An HTTP response read by hand that the test can stop reading at the socket. */
export interface StallingReader {
  readonly response: IncomingMessage;
  /** Everything read so far, as text. */
  text(): string;
  /** Stops reading: the server's writes back up in the kernel, then in its own buffers. */
  stall(): void;
  resume(): void;
  /** Settles when the server ended or cut the response. */
  readonly closed: Promise<void>;
  destroy(): void;
}

/**
 * Sends one request with node:http and reads its response as text until
 * {@link StallingReader.stall}: a peer that stops reading, as a stuck browser
 * tab or a paused process does.
 */
export async function openStallingReader(
  url: string,
  init: { readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string } = {},
): Promise<StallingReader> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, resolve);
    req.on('error', reject);
    req.end(init.body);
  });
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (part: string) => void (text += part));
  response.on('error', () => {});
  const closed = new Promise<void>((resolve) => response.on('close', resolve));
  return {
    response,
    text: () => text,
    // Paused, the response emits no `data` and its socket is no longer read.
    stall: () => void response.pause(),
    resume: () => void response.resume(),
    closed,
    destroy: () => response.destroy(),
  };
}
