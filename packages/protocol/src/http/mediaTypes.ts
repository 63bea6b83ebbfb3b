/** Media types of an `Accept` header, lower-case, parameters dropped; q=0 entries left out. */
function acceptedTypes(accept: string): string[] {
  const types: string[] = [];
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';');
    const refused = params.some((p) => /^\s*q\s*=\s*0(?:\.0*)?\s*$/i.test(p));
    if (!refused && type) types.push(type.trim().toLowerCase());
  }
  return types;
}

function accepts(types: string[], wanted: string): boolean {
  const [major] = wanted.split('/');
  return types.some((t) => t === wanted || t === '*/*' || t === `${major}/*`);
}

/**
 * Whether a POST's `Accept` lists both `application/json` and
 * `text/event-stream` (2025-11-25 and 2026-07-28 streamable-http §sending
 * messages). An absent header accepts anything (RFC 9110 §12.5.1).
 */
export function acceptsJsonAndSse(accept: string | undefined): boolean {
  if (accept === undefined || accept === '') return true;
  const types = acceptedTypes(accept);
  return accepts(types, 'application/json') && accepts(types, 'text/event-stream');
}

/** Whether a GET's `Accept` lists `text/event-stream` (2025-11-25 transports §listening). */
export function acceptsSse(accept: string | undefined): boolean {
  if (accept === undefined || accept === '') return true;
  return accepts(acceptedTypes(accept), 'text/event-stream');
}

/** Whether a `Content-Type` is JSON (`application/json`, any parameters). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/json' || (essence.startsWith('application/') && essence.endsWith('+json'));
}
