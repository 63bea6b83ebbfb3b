import type { z } from 'zod';
import { ProtocolError } from './errors.js';

/**
 * Validates inbound params against a schema. A mismatch is the peer's fault:
 * it becomes InvalidParams (−32602) with zod's issues in `data`, so the peer
 * learns which field was wrong.
 */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown, what = 'params'): z.output<S> {
  const parsed = schema.safeParse(params ?? {});
  if (parsed.success) return parsed.data;
  throw new ProtocolError('InvalidParams', `Invalid ${what}`, { data: { issues: parsed.error.issues } });
}
