/** A piece of a line and how to colour it. */
export type Segment = readonly [text: string, paint?: (text: string) => string];

/** Options of {@link renderLine}. */
export interface RenderOptions {
  /** Visible characters at most. @default no limit */
  readonly width?: number;
  /** Fill with spaces up to `width`, so a line drawn over a longer one leaves nothing of it. */
  readonly pad?: boolean;
}

/**
 * Joins segments into one line of at most `width` visible characters
 * (cutting the segment that overflows, with an ellipsis) and colours each
 * piece after cutting, so no escape sequence is ever cut in half.
 */
export function renderLine(segments: readonly Segment[], options: RenderOptions = {}): string {
  const width = options.width ?? Number.POSITIVE_INFINITY;
  let visible = 0;
  let line = '';
  for (const [text, paint] of segments) {
    const room = width - visible;
    if (room <= 0) break;
    const chars = [...text];
    let piece = text;
    if (chars.length > room) piece = room > 1 ? `${chars.slice(0, room - 1).join('')}…` : '…';
    visible += Math.min(chars.length, room);
    line += paint && piece ? paint(piece) : piece;
  }
  return options.pad && Number.isFinite(width) && visible < width ? line + ' '.repeat(width - visible) : line;
}

/** A single-line rendering of any text: line breaks shown as ⏎. */
export const oneLine = (text: string): string => text.replace(/\r?\n/g, ' ⏎ ');
