import type { ElicitFormRequestParams, ElicitResult, RequestContext, Server } from '@tidings/protocol';
import { sampledText } from './sampledText.js';

type Form = ElicitFormRequestParams['requestedSchema'];

const NAME_FORM: Form = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
const CONFIRM_FORM: Form = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
const COLOR_FORM: Form = { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] };
const CONTEXT_FORM: Form = { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] };

const field = (result: ElicitResult, name: string): string => String(result.content?.[name] ?? `(${result.action})`);

const askName = (ctx: RequestContext, key: string, message = 'What is your name?') =>
  ctx.elicit({ message, requestedSchema: NAME_FORM }, { key });

const askCapital = (ctx: RequestContext) =>
  ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }], maxTokens: 100 }, { key: 'capital_question' });

/**
 * The multi round-trip request fixtures of referee 0.2.0-alpha.12
 * (`input-required-result-*`, SEP-2322), written as any Tidings user would:
 * `ctx.elicit`, `ctx.sample` and `ctx.listRoots` with the keys the referee
 * expects. On a modern request the core turns each into an input request;
 * the requestState it seals is HMAC-protected, so tampering is refused.
 */
export function registerRefereeInputTools(server: Server): void {
  server.tool({ name: 'test_input_required_result_elicitation', description: 'Asks for the user name through an input request' }, async (_a, ctx) =>
    `Hello, ${field(await askName(ctx, 'user_name'), 'name')}!`,
  );

  server.tool({ name: 'test_input_required_result_sampling', description: 'Asks the client to sample through an input request' }, async (_a, ctx) =>
    `Sampled: ${sampledText(await askCapital(ctx))}`,
  );

  server.tool({ name: 'test_input_required_result_list_roots', description: "Asks for the client's roots through an input request" }, async (_a, ctx) => {
    const roots = await ctx.listRoots({ key: 'client_roots' });
    return `Roots: ${roots.map((root) => root.uri).join(', ') || '(none)'}`;
  });

  server.tool({ name: 'test_input_required_result_request_state', description: 'Round-trips a sealed requestState' }, async (_a, ctx) => {
    const confirmed = await ctx.elicit({ message: 'Please confirm', requestedSchema: CONFIRM_FORM }, { key: 'confirm' });
    // Reaching here on a retry means the core verified the echoed requestState.
    return `state-ok: confirmed ${field(confirmed, 'ok')}`;
  });

  server.tool({ name: 'test_input_required_result_multiple_inputs', description: 'Asks for three inputs in one round' }, async (_a, ctx) => {
    const [person, greeting, roots] = await Promise.all([
      askName(ctx, 'user_name'),
      ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }], maxTokens: 50 }, { key: 'greeting' }),
      ctx.listRoots({ key: 'client_roots' }),
    ]);
    return `${sampledText(greeting)} ${field(person, 'name')} (${roots.length} roots)`;
  });

  server.tool({ name: 'test_input_required_result_multi_round', description: 'Asks for two inputs, one round each' }, async (_a, ctx) => {
    const person = await askName(ctx, 'step1', 'Step 1: What is your name?');
    const color = await ctx.elicit({ message: 'Step 2: What is your favorite color?', requestedSchema: COLOR_FORM }, { key: 'step2' });
    return `${field(person, 'name')} likes ${field(color, 'color')}`;
  });

  server.tool({ name: 'test_input_required_result_tampered_state', description: 'Seals a requestState the referee then alters' }, async (_a, ctx) =>
    `Hello, ${field(await askName(ctx, 'user_name'), 'name')}!`,
  );

  server.tool(
    { name: 'test_input_required_result_capabilities', description: 'Asks only for what the client declared it can give' },
    async (_a, ctx) => {
      const { sampling, elicitation } = ctx.peer.clientCapabilities;
      const [sampled, person] = await Promise.all([sampling ? askCapital(ctx) : undefined, elicitation ? askName(ctx, 'user_name') : undefined]);
      return `sampling: ${sampled ? sampledText(sampled) : 'not declared'}; elicitation: ${person ? field(person, 'name') : 'not declared'}`;
    },
  );

  server.prompt({ name: 'test_input_required_result_prompt', description: 'A prompt that needs context from the user' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'What context should the prompt use?', requestedSchema: CONTEXT_FORM }, { key: 'user_context' });
    return `Write a briefing about ${field(answer, 'context')}.`;
  });
}
