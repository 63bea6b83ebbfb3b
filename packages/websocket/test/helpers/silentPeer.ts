import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { onCleanup } from './harness.js';

/** A client frame (RFC 6455 §5.2: clients mask) carrying one text message. */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x81, 0x80 | length])
      : length < 65536
        ? Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), bigEndian64(length)]);
  const mask = randomBytes(4);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ mask[i % 4]!;
  return Buffer.concat([header, mask, masked]);
}

function bigEndian64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

/**
 * A raw TCP peer that completes the WebSocket upgrade (subprotocol `mcp`),
 * then never reads again: what it is sent piles up in the kernel and then in
 * the server. Destroyed by `closeAll`.
 */
export async function openSilentPeer(url: string): Promise<Socket> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect(Number(port), hostname);
  onCleanup(() => socket.destroy());
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(
    `GET ${pathname} HTTP/1.1\r\n` +
      `Host: ${hostname}:${port}\r\n` +
      'Upgrade: websocket\r\n' +
      'Connection: Upgrade\r\n' +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
      'Sec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Protocol: mcp\r\n' +
      '\r\n',
  );
  const head = await new Promise<string>((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1');
      if (!received.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      // From here on nothing is read: the kernel buffers fill, then the server's.
      socket.pause();
      resolve(received);
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${head.split('\r\n')[0]}`);
  return socket;
}
