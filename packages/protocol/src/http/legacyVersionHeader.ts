import { ProtocolError } from '../errors.js';
import { isLegacyVersion, SUPPORTED_PROTOCOL_VERSIONS } from '../era/versions.js';

/**
 * Checks the `MCP-Protocol-Version` header of a request to a legacy session
 * (2025-11-25 transports §protocol version header): absent is fine (the
 * negotiated version applies); present, it must name a legacy revision we
 * speak, or the server answers 400 with −32022 listing what it supports.
 */
export function checkLegacyVersionHeader(header: string | undefined): ProtocolError | undefined {
  if (header === undefined || isLegacyVersion(header)) return undefined;
  return new ProtocolError('UnsupportedProtocolVersion', `Bad Request: unsupported protocol version ${JSON.stringify(header)}`, {
    data: { supported: [...SUPPORTED_PROTOCOL_VERSIONS], requested: header },
  });
}
