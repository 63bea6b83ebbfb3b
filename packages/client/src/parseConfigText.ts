import { ConfigError } from './configError.js';

/**
 * Parses a config file's text. VS Code's and Cursor's `mcp.json` are JSON
 * with comments and trailing commas, so both are blanked out first (with
 * spaces, keeping every position); anything else that is not JSON is a
 * `invalid-json` ConfigError giving the line and column.
 */
export function parseConfigText(text: string, path?: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const relaxed = blankCommentsAndTrailingCommas(source);
  try {
    return JSON.parse(relaxed) as unknown;
  } catch (cause) {
    const message = (cause as Error).message;
    const position = /at position (\d+)/.exec(message);
    const where = position ? ` at ${lineAndColumn(source, Number(position[1]))}` : '';
    const reason = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'the text ends too early');
    throw new ConfigError('invalid-json', `not valid JSON${where}: ${reason}`, { path }, { cause });
  }
}

/** `line L, column C` (both from 1) of a character offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Replaces `//…` and `/*…*\/` comments and commas before `}` or `]` with spaces, outside strings. */
function blankCommentsAndTrailingCommas(text: string): string {
  const out = text.split('');
  let inString = false;
  let pendingComma = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      pendingComma = -1;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      for (let j = i; j < stop; j++) out[j] = ' ';
      i = stop - 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (let j = i; j < stop; j++) if (text[j] !== '\n') out[j] = ' ';
      i = stop - 1;
    } else if (c === ',') {
      pendingComma = i;
    } else if ((c === '}' || c === ']') && pendingComma !== -1) {
      out[pendingComma] = ' ';
      pendingComma = -1;
    } else if (c !== undefined && !/\s/.test(c)) {
      pendingComma = -1;
    }
  }
  return out.join('');
}
