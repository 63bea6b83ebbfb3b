import type { CreateMessageResult } from '@tidings/protocol';

/**
 * The text of a sampling result: its first text block, whether the client
 * answered with one block or a list of them (2025-11-25 allows both), or a
 * placeholder naming what came instead.
 */
export function sampledText(result: CreateMessageResult): string {
  const blocks = Array.isArray(result.content) ? result.content : [result.content];
  const text = blocks.find((block) => block.type === 'text');
  return text?.type === 'text' ? text.text : `(no text; got ${blocks.map((b) => b.type).join(', ') || 'nothing'})`;
}
