import { LATEST_LEGACY_VERSION, LEGACY_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS } from '../constants.js';

/** Every revision a Tidings server speaks, newest first (the `supported` list of −32022). */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [...MODERN_PROTOCOL_VERSIONS, ...LEGACY_PROTOCOL_VERSIONS];

/**
 * Legacy version negotiation (2025-11-25 lifecycle): answer with the requested
 * revision when we speak it, otherwise with our newest legacy revision.
 */
export function negotiateLegacyVersion(requested: unknown): string {
  return typeof requested === 'string' && (LEGACY_PROTOCOL_VERSIONS as readonly string[]).includes(requested)
    ? requested
    : LATEST_LEGACY_VERSION;
}

/** Whether a revision belongs to the modern era. */
export function isModernVersion(version: unknown): boolean {
  return typeof version === 'string' && (MODERN_PROTOCOL_VERSIONS as readonly string[]).includes(version);
}

/** Whether a revision belongs to the legacy era. */
export function isLegacyVersion(version: unknown): boolean {
  return typeof version === 'string' && (LEGACY_PROTOCOL_VERSIONS as readonly string[]).includes(version);
}
