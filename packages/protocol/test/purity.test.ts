import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../../../test-support/sourceFiles.js';

const srcDir = fileURLToPath(new URL('../src', import.meta.url));

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
