import type { z } from 'zod';
import { notificationSchemas, type NotificationMethod, type NotificationParamsInputOf, type NotificationParamsOf } from './schemas/notifications.js';

/**
 * A typed notification: its method and the schema of its params. Made by
 * {@link defineNotification}; accepted by `notify`, `broadcast` and `on`.
 */
export interface NotificationDescriptor<M extends string = string, P = Record<string, unknown>, I = P> {
  /** The notification method, e.g. `custom/status-update`. */
  readonly method: M;
  /** Validates the params on receipt and types them on both sides. */
  readonly params: z.ZodType<P, I>;
}

/**
 * Declares a custom notification once, for both sides. Namespace the method
 * (`custom/…`, `com.example/…`): the MCP namespace `notifications/` is the
 * spec's.
 *
 * @example
 * const StatusUpdate = defineNotification('custom/status-update', z.object({ status: z.string() }));
 * await server.broadcast(StatusUpdate, { status: 'ready' });
 * client.on(StatusUpdate, (params) => console.log(params.status));
 */
export function defineNotification<M extends string, S extends z.ZodType>(
  method: M,
  params: S,
): NotificationDescriptor<M, z.output<S>, z.input<S>> {
  return { method, params: params as unknown as z.ZodType<z.output<S>, z.input<S>> };
}

/** A method name or a descriptor: what the notification APIs accept. */
export type NotificationTarget = string | NotificationDescriptor<string, any, any>;

/** The params a caller passes for a target: typed for MCP methods and descriptors. */
export type ParamsInput<T> = T extends NotificationDescriptor<string, any, infer I>
  ? I
  : T extends NotificationMethod
    ? NotificationParamsInputOf<T>
    : Record<string, unknown> | undefined;

/** The params a handler receives for a target. */
export type ParamsOutput<T> = T extends NotificationDescriptor<string, infer P, any>
  ? P
  : T extends NotificationMethod
    ? NotificationParamsOf<T>
    : Record<string, unknown>;

/** The method of a target. */
export function methodOf(target: NotificationTarget): string {
  return typeof target === 'string' ? target : target.method;
}

/** The schema that validates inbound params of a target, if one is known. */
export function schemaOf(target: NotificationTarget): z.ZodType | undefined {
  if (typeof target !== 'string') return target.params;
  return (notificationSchemas as Record<string, z.ZodType>)[target];
}
