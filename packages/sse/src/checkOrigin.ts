import type { IncomingMessage } from 'node:http';

/** Which browsers and host names may reach the handler (PROTOCOL.md §sse, DNS rebinding). */
export interface OriginPolicy {
  /**
   * `Origin` values (`scheme://host[:port]`) allowed to connect; `'*'` allows
   * any. A request without `Origin` (not from a browser) is always allowed.
   * @default loopback origins on a loopback listener, else same-origin only
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * `Host` header values allowed, with or without the port
   * (`localhost`, `localhost:3000`).
   * @default loopback names on a loopback listener, else any
   */
  readonly allowedHosts?: readonly string[];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Returns why a request is refused with 403, or undefined when it may pass.
 * The 2024-11-05 transport requires Origin validation on every connection;
 * when the request came in on a loopback address and no lists are given, only
 * loopback `Host` names and origins pass, which is what defeats DNS rebinding
 * (a rebound name still carries the attacker's host name).
 */
export function checkOrigin(req: IncomingMessage, policy: OriginPolicy): string | undefined {
  const loopback = isLoopbackAddress(req.socket.localAddress);
  const host = req.headers.host;
  const hostName = host === undefined ? undefined : hostnameOf(`http://${host}`);
  if (policy.allowedHosts) {
    if (host === undefined || !policy.allowedHosts.some((h) => h === host || h === hostName)) {
      return `Host not allowed: ${host ?? '(none)'}`;
    }
  } else if (loopback && (hostName === undefined || !isLoopbackName(hostName))) {
    return `Host not allowed on a loopback server: ${host ?? '(none)'}`;
  }

  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  if (policy.allowedOrigins) {
    return policy.allowedOrigins.includes('*') || policy.allowedOrigins.includes(origin) ? undefined : `Origin not allowed: ${origin}`;
  }
  if (loopback) {
    const originName = hostnameOf(origin);
    return originName !== undefined && isLoopbackName(originName) ? undefined : `Origin not allowed on a loopback server: ${origin}`;
  }
  return safeHost(origin) === host ? undefined : `Cross-origin request not allowed: ${origin}`;
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

function isLoopbackName(name: string): boolean {
  return LOOPBACK_NAMES.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name);
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
