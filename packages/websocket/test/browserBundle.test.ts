import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const file = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

describe('@tidings/websocket/client bundles for a browser', () => {
  it('with no Node built-in, no ws and no Node globals', async () => {
    const result = await build({
      entryPoints: [file('websocket/src/client.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      alias: { '@tidings/protocol': file('protocol/src/index.ts') },
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/(from|require\(|import\()\s*["']node:/);
    expect(code).not.toMatch(/(from|require\(|import\()\s*["']ws["']/);
    expect(code).not.toMatch(/\bBuffer\.|\bprocess\./);
    // Nothing of ws or of the server half was even read.
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => /node_modules\/ws\/|createWebSocketServer|socketTransport\.ts|(^|\/)src\/node\/|wsSocketPort|upgradeRefusal/.test(input))).toEqual([]);
    expect(code).toContain('createWebSocketClientTransport');
  });
});
