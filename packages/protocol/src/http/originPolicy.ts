import { httpRejection, type HttpRejection } from './httpErrors.js';

/** How an HTTP server guards against DNS rebinding (2025-11-25 transports §security warning). */
export interface OriginPolicy {
  /**
   * Origins allowed to call (`https://app.example.com`); `'*'` allows any.
   * Unset: on a loopback server only loopback origins, elsewhere only the
   * server's own origin.
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * Values allowed in the `Host` header (`example.com`, `example.com:8443`).
   * Unset: on a loopback server only loopback names, elsewhere any.
   */
  readonly allowedHosts?: readonly string[];
  /** Whether the request arrived on a loopback address: DNS-rebinding protection is on by default there. */
  readonly loopback: boolean;
}

const LOOPBACK_NAMES = new Set(['localhost', '[::1]', '::1']);

/**
 * Whether a socket's local address is a loopback one: DNS-rebinding
 * protection is on by default there. An unknown address counts as loopback,
 * the safe side.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return true;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Whether a host name (no port) names this machine. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return LOOPBACK_NAMES.has(name) || /^127(?:\.\d{1,3}){3}$/.test(name) || name.endsWith('.localhost');
}

/** `host[:port]` without the port (IPv6 literals keep their brackets). */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/**
 * Validates `Host` and `Origin`. Returns a 403 rejection for a request that
 * must be refused, undefined otherwise. A missing `Origin` is allowed (not a
 * browser); a missing `Host` is refused where the Host is checked.
 */
export function checkOrigin(host: string | undefined, origin: string | undefined, policy: OriginPolicy): HttpRejection | undefined {
  const hostAllowed = (): boolean => {
    if (policy.allowedHosts) {
      if (host === undefined) return false;
      const wanted = host.toLowerCase();
      return policy.allowedHosts.some((entry) => {
        const allowed = entry.toLowerCase();
        return allowed === wanted || allowed === hostnameOf(wanted);
      });
    }
    if (!policy.loopback) return true;
    return host !== undefined && isLoopbackHostname(hostnameOf(host));
  };
  if (!hostAllowed()) return httpRejection(403, 'InvalidRequest', `Forbidden: Host ${JSON.stringify(host ?? '')} is not allowed`);
  if (origin === undefined) return undefined;

  const originAllowed = (): boolean => {
    if (policy.allowedOrigins) return policy.allowedOrigins.some((entry) => entry === '*' || entry.toLowerCase() === origin.toLowerCase());
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (policy.loopback) return isLoopbackHostname(url.hostname);
    return host !== undefined && url.host.toLowerCase() === host.toLowerCase();
  };
  return originAllowed() ? undefined : httpRejection(403, 'InvalidRequest', `Forbidden: Origin ${JSON.stringify(origin)} is not allowed`);
}
