import type { Writable } from 'node:stream';
import type { View } from './view.js';

/** `--json`: every event as one JSON object per line (NDJSON), for `jq` and programs. */
export function createNdjsonView(out: Writable): View {
  return {
    event: (event) => void out.write(`${JSON.stringify(event)}\n`),
    close: () => {},
  };
}
