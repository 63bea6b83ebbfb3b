import { META, type Era } from '../constants.js';
import { REQUEST_ERAS } from '../schemas/requests.js';

/**
 * How a server reads one inbound request (PROTOCOL.md §eras): `server/discover`
 * is era-neutral and pins nothing; a request whose `_meta` names a protocol
 * version is modern; anything else (including `initialize`) is legacy.
 */
export type RequestEra = Era | 'neutral';

/** Methods whose request exists in exactly one era, read off the request table. */
function onlyIn(era: Era): ReadonlySet<string> {
  return new Set(
    Object.entries(REQUEST_ERAS as Record<string, readonly Era[]>)
      .filter(([, eras]) => eras.length === 1 && eras[0] === era)
      .map(([method]) => method),
  );
}

/** Methods that exist only in the legacy era; inside a modern envelope they are −32601. */
export const LEGACY_ONLY_METHODS: ReadonlySet<string> = onlyIn('legacy');

/** Methods that exist only in the modern era (`server/discover` is answered in both: it is the probe). */
export const MODERN_ONLY_METHODS: ReadonlySet<string> = onlyIn('modern');

/** Classifies one request by its method and `_meta` envelope. */
export function classifyRequest(method: string, params: unknown): RequestEra {
  if (method === 'server/discover') return 'neutral';
  return hasModernEnvelope(params) ? 'modern' : 'legacy';
}

/** Whether params carry the modern envelope's protocol-version key. */
export function hasModernEnvelope(params: unknown): boolean {
  const meta = (params as { _meta?: unknown } | undefined)?._meta;
  return typeof meta === 'object' && meta !== null && META.protocolVersion in meta;
}
