import * as z from 'zod';
import { ProtocolError, toProtocolError } from '../errors.js';
import { inspectParamHeaders } from '../http/paramHeaders.js';
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '../schemas/results.js';
import type { CreateTaskResult } from '../tasks/taskState.js';
import { Registry } from './registry.js';
import type { TaskSupport } from './taskMethods.js';
import type { ListKind } from './listChangedCoalescer.js';
import type {
  PromptDefinition,
  PromptHandler,
  RequestContext,
  ResourceDefinition,
  ResourceReader,
  ResourceTemplateDefinition,
  ToolDefinition,
  ToolHandler,
  ToolOutput,
  ResourceOutput,
} from './types.js';

/** A registered tool, its JSON Schema computed once. */
export interface ToolEntry {
  readonly listing: Record<string, unknown>;
  readonly input: z.ZodType | undefined;
  readonly handler: ToolHandler<z.ZodType | undefined>;
  /** Whether the tool may run as a task (ext-tasks); `forbidden` unless declared. */
  readonly taskSupport: TaskSupport;
}

/** A registered resource template with its compiled matcher. */
export interface TemplateEntry {
  readonly listing: ResourceTemplateDefinition;
  readonly match: (uri: string) => Record<string, string> | undefined;
  readonly read: ResourceReader;
}

/** A registered prompt. */
export interface PromptEntry {
  readonly listing: PromptDefinition;
  readonly handler: PromptHandler;
}

/**
 * Tools, resources, templates and prompts of a server. Every change is
 * reported as a list change of its kind; the server merges those.
 */
export class Catalog {
  readonly tools: Registry<ToolEntry>;
  readonly resources: Registry<{ listing: ResourceDefinition; read: ResourceReader }>;
  readonly templates: Registry<TemplateEntry>;
  readonly prompts: Registry<PromptEntry>;

  constructor(changed: (kind: ListKind) => void) {
    this.tools = new Registry(() => changed('tools'));
    this.resources = new Registry(() => changed('resources'));
    this.templates = new Registry(() => changed('resources'));
    this.prompts = new Registry(() => changed('prompts'));
  }

  addTool<S extends z.ZodType | undefined>(definition: ToolDefinition<S>, handler: ToolHandler<S>): () => void {
    const { input, inputSchema, ...rest } = definition;
    const schema = input ? toInputJsonSchema(input) : inputSchema ?? { type: 'object', properties: {} };
    const headers = inspectParamHeaders(schema);
    // Clients over Streamable HTTP must drop such a tool from tools/list: refuse it here, where its author sees why.
    if ('invalid' in headers) throw new TypeError(`Tool ${definition.name}: ${headers.invalid}`);
    return this.tools.set(definition.name, {
      listing: { ...rest, inputSchema: schema },
      input,
      handler: handler as ToolHandler<z.ZodType | undefined>,
      taskSupport: definition.execution?.taskSupport ?? 'forbidden',
    });
  }

  addTemplate(definition: ResourceTemplateDefinition, read: ResourceReader): () => void {
    return this.templates.set(definition.uriTemplate, { listing: definition, match: compileTemplate(definition.uriTemplate), read });
  }

  /** Whether any registered tool may run as a task. */
  anyTaskTool(): boolean {
    for (const tool of this.tools.values()) if (tool.taskSupport !== 'forbidden') return true;
    return false;
  }

  /** Runs `tools/call`. Tool failures are results with `isError` (tools.mdx §error handling). */
  async callTool(name: string, args: Record<string, unknown> | undefined, ctx: RequestContext): Promise<CallToolResult | CreateTaskResult> {
    const tool = this.tools.get(name);
    if (!tool) throw new ProtocolError('InvalidParams', `Unknown tool: ${name}`);
    let parsedArgs: unknown = args ?? {};
    if (tool.input) {
      const parsed = tool.input.safeParse(parsedArgs);
      if (!parsed.success) {
        return errorResult(`Invalid arguments for tool ${name}: ${z.prettifyError(parsed.error)}`);
      }
      parsedArgs = parsed.data;
    }
    try {
      return toolResultOf(await tool.handler(parsedArgs as never, ctx));
    } catch (error) {
      return toolResultOf(error, true);
    }
  }

  /** Runs `resources/read`; `notFound` builds the era's error. */
  async readResource(uri: string, ctx: RequestContext, notFound: (uri: string) => ProtocolError): Promise<ReadResourceResult> {
    const direct = this.resources.get(uri);
    if (direct) return toReadResult(uri, await direct.read(uri, ctx, {}), direct.listing.mimeType);
    for (const template of this.templates.values()) {
      const variables = template.match(uri);
      if (variables) return toReadResult(uri, await template.read(uri, ctx, variables), template.listing.mimeType);
    }
    throw notFound(uri);
  }

  /** Runs `prompts/get`. */
  async getPrompt(name: string, args: Record<string, string>, ctx: RequestContext): Promise<GetPromptResult> {
    const prompt = this.prompts.get(name);
    if (!prompt) throw new ProtocolError('InvalidParams', `Unknown prompt: ${name}`);
    const missing = (prompt.listing.arguments ?? []).filter((a) => a.required && args[a.name] === undefined).map((a) => a.name);
    if (missing.length > 0) throw new ProtocolError('InvalidParams', `Missing prompt arguments: ${missing.join(', ')}`);
    const output = await prompt.handler(args, ctx);
    return typeof output === 'string'
      ? { messages: [{ role: 'user', content: { type: 'text', text: output } }] }
      : output;
  }
}

function toInputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  try {
    const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return json;
  } catch (error) {
    throw toProtocolError(error, { exposeInternalErrors: true });
  }
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * The result of a tool's output (`thrown` false) or of what it threw: a
 * ProtocolError is rethrown, anything else becomes an `isError` result.
 */
export function toolResultOf(output: Exclude<ToolOutput, CreateTaskResult>, thrown?: false): CallToolResult;
export function toolResultOf(output: ToolOutput, thrown?: false): CallToolResult | CreateTaskResult;
export function toolResultOf(output: unknown, thrown: true): CallToolResult;
export function toolResultOf(output: unknown, thrown = false): CallToolResult | CreateTaskResult {
  if (thrown) {
    if (output instanceof ProtocolError) throw output;
    return errorResult(output instanceof Error ? output.message : String(output));
  }
  if (typeof output === 'string') return { content: [{ type: 'text', text: output }] };
  if (Array.isArray(output)) return { content: output as CallToolResult['content'] };
  return output as CallToolResult;
}

function toReadResult(uri: string, output: ResourceOutput, mimeType: string | undefined): ReadResourceResult {
  if (typeof output === 'string') {
    return { contents: [mimeType === undefined ? { uri, text: output } : { uri, mimeType, text: output }] } as ReadResourceResult;
  }
  if (Array.isArray(output)) return { contents: output } as ReadResourceResult;
  return output;
}

/**
 * Compiles an RFC 6570 level-1 template (`file:///{path}`) into a matcher.
 * `{+name}` and a final `{name}` may span `/`; other variables stop at `/`.
 */
function compileTemplate(template: string): (uri: string) => Record<string, string> | undefined {
  const names: string[] = [];
  let pattern = '';
  let last = 0;
  const expression = /\{(\+?)([A-Za-z0-9_]+)\}/g;
  for (let m = expression.exec(template); m; m = expression.exec(template)) {
    pattern += escapeRegExp(template.slice(last, m.index));
    names.push(m[2]!);
    const isLast = m.index + m[0].length === template.length;
    pattern += m[1] === '+' || isLast ? '(.+)' : '([^/]+)';
    last = m.index + m[0].length;
  }
  pattern += escapeRegExp(template.slice(last));
  const regex = new RegExp(`^${pattern}$`);
  return (uri) => {
    const match = regex.exec(uri);
    if (!match) return undefined;
    const variables: Record<string, string> = {};
    try {
      names.forEach((name, i) => (variables[name] = decodeURIComponent(match[i + 1]!)));
    } catch {
      return undefined; // malformed percent-encoding matches nothing
    }
    return variables;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
