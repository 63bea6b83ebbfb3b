/** An SSE response read frame by frame, for wire-level assertions. */
export interface SseFrames {
  /** Parsed `data` messages in arrival order. */
  readonly messages: any[];
  /** Arrival times (ms) of `:` comment lines. */
  readonly comments: number[];
  /** Resolves when the body ends (or was cancelled). */
  readonly done: Promise<void>;
  cancel(): Promise<void>;
}

/** Reads an SSE body in the background, splitting events on blank lines. */
export function readFrames(response: Response): SseFrames {
  const messages: any[] = [];
  const comments: number[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const done = (async () => {
    try {
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(Date.now());
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0 && data.join('\n') !== '') messages.push(JSON.parse(data.join('\n')));
        }
      }
    } catch {
      // Cancelled.
    }
  })();
  return { messages, comments, done, cancel: () => reader.cancel().catch(() => {}) };
}
