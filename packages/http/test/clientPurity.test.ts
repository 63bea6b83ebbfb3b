import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../../../test-support/sourceFiles.js';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));
const clientDir = join(packagesDir, 'http/src/client');

/** What a browser app imports. */
const ENTRIES = ['http/src/client.ts', 'streamable-http/src/client.ts', 'sse/src/client.ts'].map((path) => join(packagesDir, path));

/** Packages a client module may import: the core (and its adapter entry), the client entry of @tidings/http (not its root, which loads the server), the SSE parser. */
const ALLOWED_PACKAGES = new Set(['@tidings/protocol', '@tidings/protocol/http', '@tidings/http/client', 'eventsource-parser']);

function specifiers(code: string): string[] {
  return [...code.matchAll(/(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

/** Every module of the workspace reached from `entry` through relative imports. */
function localGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      visit(existsSync(target) ? target : join(target, 'index.ts'));
    }
  };
  visit(entry);
  return [...seen];
}

function expectRuntimeNeutral(file: string): void {
  const code = readFileSync(file, 'utf8');
  expect(code).not.toMatch(/from\s+['"](node:[\w/]+|fs|net|http|https|child_process|stream|os|path|crypto|buffer|ws)['"]/);
  expect(code).not.toMatch(/\bimport\(\s*['"]node:/);
  expect(code).not.toMatch(/\b(process|Buffer)\b/);
  expect(code).not.toMatch(/\brequire\(/);
}

// The clients run in browsers and Workers: web-standard globals only, and no server code.
describe('the HTTP clients stay runtime-neutral', () => {
  const httpClientFiles = sourceFiles(clientDir);
  const graphs = ENTRIES.map((entry) => [relative(packagesDir, entry), localGraph(entry)] as const);
  const everyClientFile = [...new Set([...httpClientFiles, ...graphs.flatMap(([, files]) => files)])];

  it('has the shared client plumbing and both entries to check', () => {
    expect(httpClientFiles.map((f) => relative(clientDir, f))).toEqual(
      expect.arrayContaining(['createSseClientTransport.ts', 'readSseStream.ts', 'responseDetail.ts']),
    );
    expect(everyClientFile.length).toBeGreaterThan(10);
  });

  it.each(everyClientFile.map((f) => [relative(packagesDir, f), f]))('%s imports no Node built-in and uses no Node global', (_name, file) => {
    expectRuntimeNeutral(file);
  });

  it.each(everyClientFile.map((f) => [relative(packagesDir, f), f]))('%s imports only client modules', (_name, file) => {
    const code = readFileSync(file, 'utf8');
    for (const spec of specifiers(code)) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        expect(target.includes('/server/') || target.includes('/bindings/'), `${spec} is server code`).toBe(false);
      } else {
        expect(ALLOWED_PACKAGES.has(spec), `${spec} is not a client dependency`).toBe(true);
      }
    }
  });

  it.each(graphs)('%s reaches no server module through relative imports', (_entry, files) => {
    for (const file of files) expect(relative(packagesDir, file)).not.toMatch(/create\w*(Server|Handler)\.ts$|\/server\//);
  });
});
