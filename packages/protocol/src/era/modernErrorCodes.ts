import { ERROR_CODES } from '../errors.js';

/** Codes only a modern server answers with (2026-07-28 versioning §backward compatibility). */
const MODERN_ERROR_CODES: ReadonlySet<number> = new Set([
  ERROR_CODES.HeaderMismatch,
  ERROR_CODES.MissingRequiredClientCapability,
  ERROR_CODES.UnsupportedProtocolVersion,
]);

/** Whether a JSON-RPC error code names a modern server: a client that probes the era keeps it rather than falling back. */
export function isModernErrorCode(code: unknown): boolean {
  return typeof code === 'number' && MODERN_ERROR_CODES.has(code);
}
