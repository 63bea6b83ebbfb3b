import { TransportError } from '@tidings/protocol';
import { checkOrigin, corsHeaders, corsPreflightHeaders, headerOf, type OriginPolicy } from '@tidings/protocol/http';
import { refuse, rejectionResponse } from './refusals.js';
import type { HttpCore, HttpRequest, HttpResponse } from './types.js';

/** The default `onError` of the handlers: the fault on stderr, tagged. */
export const reportToConsole = (error: TransportError): void => console.error('[tidings]', error);

/** One path's methods: what OPTIONS and 405 announce, and the route of the request's method if it has one. */
export interface PathRoute {
  readonly methods: string;
  readonly handler: ((request: HttpRequest, url: URL) => Promise<HttpResponse> | HttpResponse) | undefined;
}

/** What {@link serveHttp} needs from a transport's handler. */
export interface ServeOptions extends Omit<OriginPolicy, 'loopback'> {
  /** The transport's name, for the fault report. */
  readonly name: string;
  /** The route of a request, by its path; undefined answers 404. */
  readonly route: (request: HttpRequest, url: URL) => PathRoute | undefined;
  readonly onError: (error: TransportError) => void;
}

/**
 * What every HTTP transport does before its own routes: 503 once closed,
 * 404 off its paths, DNS-rebinding protection (403, 2025-11-25 transports
 * §security warning), CORS preflight and headers, 405 with `Allow`; a fault
 * of the handler is reported and answered 500, never thrown at the binding.
 */
export function serveHttp(options: ServeOptions, closeAll: () => Promise<void>): HttpCore {
  let closed = false;

  const serve = async (request: HttpRequest): Promise<HttpResponse> => {
    if (closed) return refuse('closed');
    const url = new URL(request.url, 'http://localhost');
    const route = options.route(request, url);
    if (!route) return refuse('notFound', { detail: url.pathname });
    const { headers } = request;
    const origin = headerOf(headers, 'origin');
    const refusal = checkOrigin(headerOf(headers, 'host'), origin, {
      allowedOrigins: options.allowedOrigins,
      allowedHosts: options.allowedHosts,
      loopback: request.loopback === true,
    });
    if (refusal) return rejectionResponse(refusal);
    if (request.method === 'OPTIONS') {
      return { status: 204, headers: corsPreflightHeaders(origin, route.methods, headerOf(headers, 'access-control-request-headers')), body: undefined };
    }
    const response = route.handler
      ? await route.handler(request, url)
      : refuse('methodNotAllowed', { detail: `${request.method} ${url.pathname}`, headers: { allow: route.methods } });
    const cors = corsHeaders(origin);
    return cors ? { ...response, headers: { ...response.headers, ...cors } } : response;
  };

  return {
    async handle(request) {
      try {
        return await serve(request);
      } catch (cause) {
        options.onError(new TransportError(`the ${options.name} handler failed on a request`, { cause }));
        return refuse('internal');
      }
    },
    async close() {
      closed = true;
      await closeAll();
    },
  };
}
