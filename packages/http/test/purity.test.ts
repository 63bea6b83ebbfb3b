import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../../../test-support/sourceFiles.js';

const srcDir = fileURLToPath(new URL('../src', import.meta.url));

// The core runs on Node, Bun, Deno, Workers and in browsers: only web-standard globals.
describe('@tidings/http stays runtime-neutral', () => {
  const files = sourceFiles(srcDir);

  it('has the server core and both bindings to check', () => {
    expect(files.map((f) => f.slice(srcDir.length + 1))).toEqual(expect.arrayContaining(['server/streamableHttpCore.ts', 'server/sseCore.ts', 'bindings/node.ts', 'bindings/fetch.ts']));
  });

  it.each(files.map((f) => [f.slice(srcDir.length + 1), f]))('%s imports no Node built-in and uses no Node global', (_name, file) => {
    const code = readFileSync(file, 'utf8');
    expect(code).not.toMatch(/from\s+['"](node:[\w/]+|fs|net|http|https|child_process|stream|os|path|crypto|ws)['"]/);
    expect(code).not.toMatch(/\bimport\(\s*['"]node:/);
    expect(code).not.toMatch(/\b(process|Buffer)\./);
    expect(code).not.toMatch(/\brequire\(/);
  });

  it('keeps each binding under 150 lines', () => {
    for (const binding of ['bindings/node.ts', 'bindings/fetch.ts']) {
      expect(readFileSync(join(srcDir, binding), 'utf8').split('\n').length, binding).toBeLessThan(150);
    }
  });
});
