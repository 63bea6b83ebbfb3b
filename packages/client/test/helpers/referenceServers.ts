import { inject } from 'vitest';
import { childEnv, startServerProcess, type ServerProcess } from '../../../../test-support/childProcess.js';

/** The reference server bundled by the project's globalSetup. */
export const referenceServerScript = (): string => inject('referenceServer');

/** Starts the reference server on a network transport, on 127.0.0.1 and a free port. */
export function startReference(transport: 'websocket' | 'sse' | 'streamable-http'): Promise<ServerProcess> {
  return startServerProcess(referenceServerScript(), ['--transport', transport, '--port', '0']);
}

/** A config entry that starts the reference server over stdio, as a host would. */
export function stdioReferenceEntry(): { command: string; args: string[]; env: Record<string, string> } {
  return { command: process.execPath, args: [referenceServerScript(), '--transport', 'stdio'], env: {} };
}

/** The environment stdio servers of a pool get in tests (see childEnv). */
export { childEnv };
