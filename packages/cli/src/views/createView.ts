import type { WatchedServer } from '../watchEvent.js';
import { createLiveView } from './liveView.js';
import { createNdjsonView } from './ndjsonView.js';
import { createPlainView } from './plainView.js';
import { colorEnabled, type View } from './view.js';

/** How a command wants its events shown. */
export interface ViewChoice {
  /** `--json`: NDJSON on stdout, whatever stdout is. */
  readonly json: boolean;
  /** `--no-color` gives false. */
  readonly color: boolean | undefined;
  /** Where bars and lines go when not `--json` (watch: stdout; call: stderr, its result owning stdout). */
  readonly stream: NodeJS.WriteStream;
  readonly servers: readonly WatchedServer[];
  /** Which command draws (see `ViewOptions.command`). */
  readonly command: 'watch' | 'call';
}

/** NDJSON with `--json`; the live view on a terminal; one plain line per event anywhere else. */
export function createView(choice: ViewChoice): View {
  if (choice.json) return createNdjsonView(process.stdout);
  const color = colorEnabled(choice.stream, choice.color);
  const options = { servers: choice.servers, color, command: choice.command };
  return choice.stream.isTTY ? createLiveView(choice.stream, options) : createPlainView(choice.stream, options);
}
