import { spawn } from 'node:child_process';
import { ensureExited, trackPid } from '../lib/child.js';
import { benchFile, childEnv, repoRoot, nodeArgs } from '../lib/paths.js';
import { ws } from '../lib/ws.js';
import type { BurstArgs } from '../servers/burstTool.js';

/** Receives each progress value a raw client parsed. */
export type OnProgress = (progress: number) => void;

/** A raw connection: sends the burst arguments with an id, feeds each parsed progress value to `onProgress`, resolves on the result. */
export interface RawConnection {
  request(args: BurstArgs): Promise<void>;
  close(): Promise<void>;
}

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly params?: { readonly progress: number };
}

/** Dispatches parsed messages: progress to the counter, the result to the waiting request. */
function dispatcher(onProgress: OnProgress): { handle(message: Message): void; wait(id: number): Promise<void> } {
  const pending = new Map<number, () => void>();
  return {
    handle(message) {
      if (message.method === 'notifications/progress') onProgress(message.params!.progress);
      else if (message.id !== undefined) {
        pending.get(message.id)?.();
        pending.delete(message.id);
      }
    },
    wait(id) {
      return new Promise((resolve) => pending.set(id, resolve));
    },
  };
}

/** Splits newline-delimited text into lines without re-copying the tail on every line. */
function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let rest = '';
  return (chunk) => {
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      if (end > start) onLine(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  };
}

/** Raw stdio: the raw server as a child; its stdout split into lines and JSON-parsed. */
export function openRawStdio(onProgress: OnProgress): RawConnection {
  const proc = spawn(process.execPath, nodeArgs(benchFile('servers/progressServer.ts'), ['--impl', 'raw', '--transport', 'stdio']), {
    cwd: repoRoot,
    env: childEnv(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  trackPid(proc.pid);
  const { handle, wait } = dispatcher(onProgress);
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', lineSplitter((line) => handle(JSON.parse(line) as Message)));
  let nextId = 1;
  return {
    request(args) {
      const id = nextId++;
      const done = wait(id);
      proc.stdin!.write(`${JSON.stringify({ ...args, id })}\n`);
      return done;
    },
    async close() {
      proc.stdin!.end();
      await ensureExited(proc.pid, 1000);
    },
  };
}

/** Raw HTTP: one fetch POST per request; the SSE body split into events, each `data:` JSON-parsed. */
export function openRawHttp(url: string, onProgress: OnProgress): RawConnection {
  const { handle } = dispatcher(onProgress);
  let nextId = 1;
  return {
    async request(args) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...args, id: nextId++ }) });
      const decoder = new TextDecoder();
      let rest = '';
      for await (const bytes of response.body!) {
        const text = rest + decoder.decode(bytes as Uint8Array, { stream: true });
        let start = 0;
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n', start)) {
          const event = text.slice(start, end);
          const data = event.indexOf('data: ');
          if (data >= 0) handle(JSON.parse(event.slice(data + 6)) as Message);
          start = end + 2;
        }
        rest = text.slice(start);
      }
    },
    async close() {},
  };
}

/** Raw WebSocket (`ws`): one text frame per message, JSON-parsed. */
export async function openRawWs(url: string, onProgress: OnProgress): Promise<RawConnection> {
  const socket = new ws.WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const { handle, wait } = dispatcher(onProgress);
  socket.on('message', (data) => handle(JSON.parse(String(data)) as Message));
  let nextId = 1;
  return {
    request(args) {
      const id = nextId++;
      const done = wait(id);
      socket.send(JSON.stringify({ ...args, id }));
      return done;
    },
    async close() {
      const closed = new Promise<void>((resolve) => socket.once('close', resolve));
      socket.close(1000);
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
      socket.terminate();
    },
  };
}
