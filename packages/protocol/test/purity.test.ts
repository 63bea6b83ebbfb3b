import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('@tidings/protocol stays pure', () => {
  const files = sourceFiles(srcDir);

  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [f.slice(srcDir.length + 1), f]))('%s imports no node built-in and never touches process', (_name, file) => {
    const code = readFileSync(file, 'utf8');
    expect(code).not.toMatch(/from\s+['"](node:[\w/]+|fs|net|http|https|child_process|stream|os|path|ws)['"]/);
    expect(code).not.toMatch(/\bimport\(\s*['"]node:/);
    expect(code).not.toMatch(/\bprocess\./);
    expect(code).not.toMatch(/\brequire\(/);
  });
});
