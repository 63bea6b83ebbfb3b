import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackage } from './ensureDebianPackage.js';

/** What curl saw: its exit code, the HTTP status and the body. */
export interface CurlReply {
  readonly exitCode: number;
  readonly status: number;
  readonly body: string;
  readonly stderr: string;
}

/**
 * POSTs `bytes` bytes from a file with the real curl, as a user would
 * (`--data-binary @file`; curl sends `Expect: 100-continue` for a body this
 * big), with `Content-Length` or chunked. A server that answers 413 and
 * closes without reading the body leaves curl with exit 55 (broken pipe) and
 * no status (RFC 9110 §15.5.14). curl comes from Debian's package when missing.
 */
export async function curlPost(url: string, bytes: number, options: { readonly chunked?: boolean } = {}): Promise<CurlReply> {
  ensureDebianPackage({ command: 'curl', versionArgs: ['--version'] });
  const dir = mkdtempSync(join(tmpdir(), 'tidings-curl-'));
  const file = join(dir, 'body.json');
  writeFileSync(file, Buffer.alloc(bytes, 'a'));
  const args = ['-sS', '-o', '-', '-w', '\n%{http_code}', '--max-time', '60', '--data-binary', `@${file}`];
  args.push('-H', 'content-type: application/json', '-H', 'accept: application/json, text/event-stream');
  if (options.chunked) args.push('-H', 'transfer-encoding: chunked');
  args.push(url);
  try {
    return await new Promise<CurlReply>((resolve) => {
      execFile('curl', args, { encoding: 'utf8', maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
        const cut = stdout.lastIndexOf('\n');
        const exitCode = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ exitCode, status: Number(stdout.slice(cut + 1)) || 0, body: stdout.slice(0, Math.max(0, cut)), stderr });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
