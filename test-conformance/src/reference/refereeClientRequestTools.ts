import type { ElicitFormRequestParams, ElicitResult, Server } from '@tidings/protocol';
import { z } from 'zod';
import { sampledText } from './sampledText.js';

type Form = ElicitFormRequestParams['requestedSchema'];

/** Schema of `test_elicitation`'s form: the fields the referee's client fills in. */
const CONTACT_FORM: Form = {
  type: 'object',
  properties: {
    username: { type: 'string', description: "User's response" },
    email: { type: 'string', description: "User's email address" },
  },
  required: ['username', 'email'],
};

/** SEP-1034: a default for every primitive type. */
const DEFAULTS_FORM: Form = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'User name', default: 'John Doe' },
    age: { type: 'integer', description: 'User age', default: 30 },
    score: { type: 'number', description: 'User score', default: 95.5 },
    status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
    verified: { type: 'boolean', description: 'Verification status', default: true },
  },
  required: [],
};

/** SEP-1330: the five enum variants. */
const ENUMS_FORM: Form = {
  type: 'object',
  properties: {
    untitledSingle: { type: 'string', description: 'Select one option', enum: ['option1', 'option2', 'option3'] },
    titledSingle: {
      type: 'string',
      description: 'Select one option with titles',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: {
      type: 'string',
      description: 'Select one option (legacy)',
      enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    },
    untitledMulti: {
      type: 'array',
      description: 'Select multiple options',
      minItems: 1,
      maxItems: 3,
      items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    },
    titledMulti: {
      type: 'array',
      description: 'Select multiple options with titles',
      minItems: 1,
      maxItems: 3,
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
  required: [],
};

const describe = (prefix: string, result: ElicitResult): string =>
  `${prefix}: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;

/**
 * The referee's tools that send a request back to the client (legacy
 * sessions; on a modern request the same calls become input requests, see
 * refereeInputTools.ts): `test_sampling` (`tools-call-sampling`), `test_elicitation`
 * (`tools-call-elicitation`), `test_elicitation_sep1034_defaults`
 * (`elicitation-sep1034-defaults`), `test_elicitation_sep1330_enums`
 * (`elicitation-sep1330-enums`), and `test_missing_capability`, which needs
 * `sampling`: a modern client that did not declare it gets −32021 with
 * `data.requiredCapabilities = { sampling: {} }` from the core
 * (`sep-2575-server-rejects-undeclared-capability`).
 */
export function registerRefereeClientRequestTools(server: Server): void {
  server.tool(
    {
      name: 'test_sampling',
      description: 'Tests server-initiated sampling (LLM completion request)',
      input: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }),
    },
    async ({ prompt }, ctx) => {
      const result = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 });
      return `LLM response: ${sampledText(result)}`;
    },
  );

  server.tool(
    {
      name: 'test_elicitation',
      description: 'Tests server-initiated elicitation (user input request)',
      input: z.object({ message: z.string().describe('The message to show the user') }),
    },
    async ({ message }, ctx) => describe('User response', await ctx.elicit({ message, requestedSchema: CONTACT_FORM })),
  );

  server.tool(
    { name: 'test_elicitation_sep1034_defaults', description: 'Tests elicitation with default values per SEP-1034' },
    async (_args, ctx) =>
      describe(
        'Elicitation completed',
        await ctx.elicit({ message: 'Please review and update the form fields with defaults', requestedSchema: DEFAULTS_FORM }),
      ),
  );

  server.tool(
    { name: 'test_elicitation_sep1330_enums', description: 'Tests elicitation with enum schema improvements per SEP-1330' },
    async (_args, ctx) =>
      describe(
        'Elicitation completed',
        await ctx.elicit({ message: 'Please select options from the enum fields', requestedSchema: ENUMS_FORM }),
      ),
  );

  server.tool({ name: 'test_missing_capability', description: 'Test tool requiring sampling' }, async (_args, ctx) => {
    const result = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'ping' } }], maxTokens: 10 });
    return `Success: ${sampledText(result)}`;
  });
}
