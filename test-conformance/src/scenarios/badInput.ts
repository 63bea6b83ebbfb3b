import { ProtocolError } from '@tidings/protocol';
import { z } from 'zod';
import { check, checkEqual, eventually } from '../assert.js';
import type { Scenario } from '../types.js';

export const badInputScenarios: Scenario[] = [
  {
    id: 'bad-input-malformed-json',
    title: 'malformed JSON gets a parse error and the connection keeps working',
    eras: ['legacy', 'modern'],
    requires: ['rawText', 'specErrors'],
    spec: [{ revision: '2025-11-25', section: 'basic#json-rpc' }],
    async run(h) {
      const { transport, diagnostics, callText } = await h.client();
      // Over a message stream the parse error comes back as a JSON-RPC response with id null;
      // over HTTP it is the POST's 400 answer, which the client transport reports by rejecting the send.
      check(transport, 'raw text needs the client transport');
      const refused = await transport.send('{"jsonrpc": "2.0", "id": 99, "method": ').then(
        () => undefined,
        (error: unknown) => error,
      );
      if (refused) {
        check(/400|parse/i.test(String((refused as Error).message)), `the POST is refused as unparsable: ${String(refused)}`);
      } else {
        await eventually(() =>
          check(
            diagnostics.some((d) => d.kind === 'response-unknown-id'),
            `the server answered the broken message with an error: ${JSON.stringify(diagnostics)}`,
          ),
        );
      }
      checkEqual(await callText('probe_result', { probe_id: 'bad-input' }), 'unknown', 'a later call is answered');
    },
  },
  {
    id: 'bad-input-wrong-params',
    title: 'wrong params get a typed error and the connection keeps working',
    eras: ['legacy', 'modern'],
    requires: ['specErrors'],
    spec: [{ revision: '2025-11-25', section: 'server/tools#error-handling' }],
    async run(h) {
      const { client, callText } = await h.client();
      const error = await client.request('tools/call', { name: 42 }, z.unknown()).catch((e: unknown) => e);
      check(error instanceof ProtocolError && error.code === 'InvalidParams', `tools/call with a numeric name: ${String(error)}`);
      const invalid = await client.callTool('long_running_task', { task_name: 'x', steps: 'many' });
      check(invalid.isError === true, 'invalid tool arguments are a tool error result');
      const unknown = await client.callTool('no_such_tool', {}).catch((e: unknown) => e);
      check(unknown instanceof ProtocolError && unknown.code === 'InvalidParams', `an unknown tool: ${String(unknown)}`);
      checkEqual(await callText('probe_result', { probe_id: 'bad-input' }), 'unknown', 'a later call is answered');
    },
  },
];
