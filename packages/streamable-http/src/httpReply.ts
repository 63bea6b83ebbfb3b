import type { ServerResponse } from 'node:http';
import { jsonRpcErrorBody, type HttpRejection, type RequestId } from '@tidings/protocol';

/** Answers with one JSON body. A no-op when the response already started or the client left. */
export function replyJson(res: ServerResponse, status: number, body: string, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Answers an HTTP-level refusal: its status, and a JSON-RPC error body with the request's id when known. */
export function replyRejection(res: ServerResponse, rejection: HttpRejection, id: RequestId | null = null): void {
  replyJson(res, rejection.status, jsonRpcErrorBody(id, rejection.error), rejection.headers);
}

/** Answers 202 Accepted with no body (a notification or response was taken). */
export function replyAccepted(res: ServerResponse, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(202, headers);
  res.end();
}
