import { META, type Era } from '../constants.js';

/**
 * How a server reads one inbound request (PROTOCOL.md §eras): `server/discover`
 * is era-neutral and pins nothing; a request whose `_meta` names a protocol
 * version is modern; anything else (including `initialize`) is legacy.
 */
export type RequestEra = Era | 'neutral';

/** Methods that exist only in the legacy era; inside a modern envelope they are −32601. */
export const LEGACY_ONLY_METHODS: ReadonlySet<string> = new Set([
  'initialize',
  'ping',
  'logging/setLevel',
  'resources/subscribe',
  'resources/unsubscribe',
]);

/** Methods that exist only in the modern era. */
export const MODERN_ONLY_METHODS: ReadonlySet<string> = new Set(['subscriptions/listen']);

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
