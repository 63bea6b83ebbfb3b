import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { workspaceAlias } from '../../../vitest.shared.js';

const entry = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

// What a browser app imports: each must bundle for the browser as is, with no Node shims.
const CLIENT_ENTRIES = {
  '@tidings/streamable-http/client': entry('streamable-http/src/client.ts'),
  '@tidings/sse/client': entry('sse/src/client.ts'),
};

describe('the client entries bundle for a browser', () => {
  it.each(Object.entries(CLIENT_ENTRIES))('%s', async (_name, file) => {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      alias: workspaceAlias,
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/(from|require\()\s*["']node:/);
    expect(code).not.toMatch(/\bBuffer\.|\bprocess\./);
    // The server half stays out of a client bundle.
    expect(code).not.toContain('createStreamableHttpCore');
    expect(code).toContain('createSseClientTransport');
    // zod's 40-odd message locales were half of a client bundle; only its default (en) belongs in it.
    const [output] = Object.values(result.metafile!.outputs);
    const bundled = Object.entries(output!.inputs).filter(([, input]) => input.bytesInOutput > 0);
    const locales = bundled.map(([path]) => path).filter((path) => /zod\/v4\/locales\/(?!en\.)/.test(path));
    expect(locales).toEqual([]);
  });
});
