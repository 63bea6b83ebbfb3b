import { ProtocolError } from '../errors.js';

/** Largest `requestState` accepted or produced: it travels through the client on every round. */
const MAX_STATE_CHARS = 256 * 1024;

/** Web Crypto's key type, named without the DOM library. */
type HmacKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;

/** What a sealed request state carries: the input responses earlier rounds used, and an expiry. */
interface StatePayload {
  readonly r: Record<string, unknown>;
  readonly e: number;
}

/**
 * Seals and opens the `requestState` of multi round-trip requests
 * (2026-07-28 mrtr §server requirements): the state is client-held and so
 * attacker-controlled, hence an HMAC-SHA-256 over the payload *and* the
 * request it belongs to (method, name or uri, arguments), with an expiry.
 * State from another request, another server key, after its expiry or
 * altered in any byte is refused with InvalidParams. Web Crypto only: the
 * core stays free of `node:*`.
 */
export class RequestStateSealer {
  readonly #secret: Uint8Array | string | undefined;
  #key: Promise<HmacKey> | undefined;

  /** `secret`: the HMAC key; servers behind a load balancer share one. Unset: random per server. */
  constructor(secret: Uint8Array | string | undefined) {
    this.#secret = secret;
  }

  async seal(binding: string, responses: Record<string, unknown>, expiresAt: number): Promise<string> {
    const payload = toBase64Url(new TextEncoder().encode(JSON.stringify({ r: responses, e: expiresAt } satisfies StatePayload)));
    const mac = await globalThis.crypto.subtle.sign('HMAC', await this.#keyOf(), bytes(signed(payload, binding)));
    const state = `${payload}.${toBase64Url(new Uint8Array(mac))}`;
    if (state.length > MAX_STATE_CHARS) throw new ProtocolError('InternalError', 'The input gathered so far is too large to carry in requestState');
    return state;
  }

  /** The responses a state carries; InvalidParams when it is not one this server sealed for this request, or expired. */
  async open(binding: string, state: string, now: number): Promise<Record<string, unknown>> {
    const dot = state.indexOf('.');
    const mac = dot > 0 && state.length <= MAX_STATE_CHARS ? fromBase64Url(state.slice(dot + 1)) : undefined;
    const payload = state.slice(0, dot);
    const valid = mac !== undefined && (await globalThis.crypto.subtle.verify('HMAC', await this.#keyOf(), bytes(mac), bytes(signed(payload, binding))));
    if (!valid) throw new ProtocolError('InvalidParams', 'requestState failed its integrity check (altered, or issued for another request)');
    const parsed = parseJson(fromBase64Url(payload)) as StatePayload | undefined;
    if (!parsed || typeof parsed.e !== 'number' || typeof parsed.r !== 'object' || parsed.r === null) {
      throw new ProtocolError('InvalidParams', 'requestState is malformed');
    }
    if (now > parsed.e) throw new ProtocolError('InvalidParams', 'requestState has expired: send the request again without it');
    return parsed.r;
  }

  #keyOf(): Promise<HmacKey> {
    if (!globalThis.crypto?.subtle) {
      return Promise.reject(new ProtocolError('InternalError', 'Multi round-trip requests need Web Crypto (globalThis.crypto.subtle)'));
    }
    if (!this.#key) {
      const secret = this.#secret ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
      const raw = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
      this.#key = globalThis.crypto.subtle.importKey('raw', bytes(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    }
    return this.#key;
  }
}

/**
 * What a request state is bound to: the method, its target and its
 * arguments, in a key order that does not depend on the client's JSON.
 */
export function bindingOf(method: string, params: Record<string, unknown> | undefined): string {
  return canonicalJson([method, params?.name ?? params?.uri ?? null, params?.arguments ?? null]);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function signed(payload: string, binding: string): Uint8Array {
  return new TextEncoder().encode(`${payload}\n${binding}`);
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Only the canonical spelling: the unused low bits of a last character would let an altered state pass.
  return toBase64Url(bytes) === text ? bytes : undefined;
}

function parseJson(bytes: Uint8Array | undefined): unknown {
  try {
    return bytes === undefined ? undefined : JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** Bytes on an ArrayBuffer of their own, as the DOM typing of Web Crypto asks (a copy of a few dozen bytes). */
function bytes(view: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(view);
}
