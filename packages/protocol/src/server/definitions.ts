import type { z } from 'zod';
import type { ContentBlock, PromptArgument, ResourceContents, ToolAnnotations } from '../schemas/primitives.js';
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '../schemas/results.js';
import type { CreateTaskResult } from '../tasks/taskState.js';
import type { TaskSupport } from './taskMethods.js';
import type { RequestContext } from './types.js';

/** What a tool handler may return: text, content blocks, a full result, or the task `ctx.runAsTask` made. */
export type ToolOutput = string | ContentBlock[] | CallToolResult | CreateTaskResult;

/** A tool definition for `server.tool`. */
export interface ToolDefinition<S extends z.ZodType | undefined = undefined> {
  /** Unique tool name, as clients call it. */
  readonly name: string;
  /** Human-readable name for display. */
  readonly title?: string;
  /** What the tool does, for the model. */
  readonly description?: string;
  /** Zod schema of the arguments (an object schema); published as JSON Schema. */
  readonly input?: S;
  /** Raw JSON Schema of the arguments when no zod schema is given. */
  readonly inputSchema?: Record<string, unknown>;
  /** JSON Schema of `structuredContent`, if the tool returns any. */
  readonly outputSchema?: Record<string, unknown>;
  /** Hints about the tool's behaviour (read-only, destructive, …). */
  readonly annotations?: ToolAnnotations;
  /** Extra metadata published with the tool. */
  readonly _meta?: Record<string, unknown>;
  /**
   * Whether the tool may run as a task (`io.modelcontextprotocol/tasks`):
   * with `optional` or `required`, `ctx.runAsTask(work)` answers a modern
   * request that declared the extension with a task at once and runs `work`
   * after; `required` refuses a modern request that did not declare it with
   * −32021 before the handler runs. Published in `tools/list` as the
   * 2025-11-25 `execution.taskSupport`.
   * @default { taskSupport: 'forbidden' }
   */
  readonly execution?: { readonly taskSupport?: TaskSupport };
}

/** Handler of a tool: arguments in, output out. A throw becomes an `isError` result. */
export type ToolHandler<S extends z.ZodType | undefined> = (
  args: S extends z.ZodType ? z.output<S> : Record<string, unknown>,
  ctx: RequestContext,
) => ToolOutput | Promise<ToolOutput>;

/** A static resource for `server.resource`. */
export interface ResourceDefinition {
  /** The resource URI, as clients read and subscribe to it. */
  readonly uri: string;
  /** Short name. */
  readonly name: string;
  /** Human-readable name for display. */
  readonly title?: string;
  /** What the resource holds. */
  readonly description?: string;
  /** Media type of the contents; text answers get it. */
  readonly mimeType?: string;
  /** Extra metadata published with the resource. */
  readonly _meta?: Record<string, unknown>;
}

/** A resource template for `server.resourceTemplate`; `{name}` segments match one path segment or more. */
export interface ResourceTemplateDefinition {
  /** RFC 6570 template, e.g. `file:///{path}`. */
  readonly uriTemplate: string;
  /** Short name. */
  readonly name: string;
  /** Human-readable name for display. */
  readonly title?: string;
  /** What the matching resources hold. */
  readonly description?: string;
  /** Media type of the contents. */
  readonly mimeType?: string;
}

/** What a resource reader may return: text, contents, or a full result. */
export type ResourceOutput = string | ResourceContents[] | ReadResourceResult;

/** Reads a resource; `variables` holds the template's matches. */
export type ResourceReader = (
  uri: string,
  ctx: RequestContext,
  variables: Readonly<Record<string, string>>,
) => ResourceOutput | Promise<ResourceOutput>;

/** A prompt definition for `server.prompt`. */
export interface PromptDefinition {
  /** Unique prompt name. */
  readonly name: string;
  /** Human-readable name for display. */
  readonly title?: string;
  /** What the prompt is for. */
  readonly description?: string;
  /** Arguments the prompt takes; required ones are checked before the handler runs. */
  readonly arguments?: PromptArgument[];
}

/** Builds a prompt: a string becomes one user message. */
export type PromptHandler = (
  args: Record<string, string>,
  ctx: RequestContext,
) => string | GetPromptResult | Promise<string | GetPromptResult>;

/** Handle returned by registrations: removing emits the matching list_changed. */
export interface Registration {
  /** Removes what was registered (and emits the matching list_changed). */
  remove(): void;
}
