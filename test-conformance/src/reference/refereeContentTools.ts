import type { Server } from '@tidings/protocol';
import { JSON_SCHEMA_2020_12_INPUT_SCHEMA, TEST_AUDIO_BASE64, TEST_IMAGE_BASE64 } from './fixtures.js';

/**
 * The referee's content tools: each returns one fixed result that a scenario
 * of `@modelcontextprotocol/conformance` inspects (`tools-call-simple-text`,
 * `-image`, `-audio`, `-embedded-resource`, `-mixed-content`, `-error`,
 * `json-schema-2020-12`). Texts and MIME types are the ones its scenario
 * descriptions give.
 */
export function registerRefereeContentTools(server: Server): void {
  server.tool(
    { name: 'test_simple_text', description: 'Tests simple text content response' },
    () => 'This is a simple text response for testing.',
  );

  server.tool({ name: 'test_image_content', description: 'Tests image content response' }, () => [
    { type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' },
  ]);

  server.tool({ name: 'test_audio_content', description: 'Tests audio content response' }, () => [
    { type: 'audio', data: TEST_AUDIO_BASE64, mimeType: 'audio/wav' },
  ]);

  server.tool({ name: 'test_embedded_resource', description: 'Tests embedded resource content response' }, () => [
    {
      type: 'resource',
      resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
    },
  ]);

  server.tool(
    { name: 'test_multiple_content_types', description: 'Tests response with multiple content types (text, image, resource)' },
    () => [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: {
          uri: 'test://mixed-content-resource',
          mimeType: 'application/json',
          text: JSON.stringify({ test: 'data', value: 123 }),
        },
      },
    ],
  );

  // A thrown error becomes an `isError` result (tools.mdx §error handling), which the scenario expects.
  server.tool({ name: 'test_error_handling', description: 'Tests error response handling' }, () => {
    throw new Error('This tool intentionally returns an error for testing');
  });

  server.tool(
    {
      name: 'json_schema_2020_12_tool',
      description: 'Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)',
      inputSchema: JSON_SCHEMA_2020_12_INPUT_SCHEMA,
    },
    (args) => `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`,
  );

  // SEP-2243: parameters mirrored into Mcp-Param-* headers, which the Streamable HTTP handler
  // checks against the body (2026-07-28 streamable-http §custom headers).
  server.tool(
    {
      name: 'test_custom_headers',
      description: 'Echoes a region and a priority that clients also send as Mcp-Param-Region / Mcp-Param-Priority headers',
      inputSchema: {
        type: 'object',
        properties: {
          region: { type: 'string', description: 'Mirrored into Mcp-Param-Region', 'x-mcp-header': 'Region' },
          priority: { type: 'integer', description: 'Mirrored into Mcp-Param-Priority', 'x-mcp-header': 'Priority' },
          query: { type: 'string', description: 'Not mirrored' },
        },
        required: ['region'],
      },
    },
    (args) => `custom headers: ${JSON.stringify(args)}`,
  );
}
