import { afterEach, describe, expect, it } from 'vitest';
import { CompleteResultSchema, type Progress } from '@tidings/protocol';
import { ERAS, referenceFixture, textOf, waitFor, type ReferenceFixture } from './connectReference.js';

let fixture: ReferenceFixture;
afterEach(async () => {
  await fixture?.close();
});

describe.each(ERAS)('the reference server answers the referee (%s era)', (era) => {
  it('test_simple_text answers the fixed text', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const result = await client.callTool('test_simple_text');
    expect(result.content).toEqual([{ type: 'text', text: 'This is a simple text response for testing.' }]);
    expect(result.isError).toBeUndefined();
  });

  it('the content tools answer image, audio, embedded resource and mixed content', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const image = await client.callTool('test_image_content', {});
    expect(image.content).toEqual([{ type: 'image', data: expect.stringMatching(/^iVBOR/), mimeType: 'image/png' }]);
    const audio = await client.callTool('test_audio_content', {});
    expect(audio.content).toEqual([{ type: 'audio', data: expect.stringMatching(/^UklGR/), mimeType: 'audio/wav' }]);
    const embedded = await client.callTool('test_embedded_resource', {});
    expect(embedded.content).toEqual([
      { type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } },
    ]);
    const mixed = await client.callTool('test_multiple_content_types', {});
    expect(mixed.content.map((c) => c.type)).toEqual(['text', 'image', 'resource']);
  });

  it('test_error_handling answers an isError result with a message', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const result = await client.callTool('test_error_handling', {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('This tool intentionally returns an error for testing');
  });

  it('test_tool_with_progress reports 0, 50 and 100 of 100 before it answers', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const progress: Progress[] = [];
    await client.callTool('test_tool_with_progress', {}, { onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => [p.progress, p.total])).toEqual([
      [0, 100],
      [50, 100],
      [100, 100],
    ]);
  });

  it('test_tool_with_logging sends three info logs in order when the client asked for debug', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const logs: unknown[] = [];
    client.on('notifications/message', (params) => logs.push([params.level, params.data]));
    await client.setLogLevel('debug');
    await client.callTool('test_tool_with_logging', {});
    expect(logs).toEqual([
      ['info', 'Tool execution started'],
      ['info', 'Tool processing data'],
      ['info', 'Tool execution completed'],
    ]);
  });

  it('test_trigger_tool_change and test_trigger_prompt_change reach list_changed listeners', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const seen = { tools: 0, prompts: 0 };
    client.on('notifications/tools/list_changed', () => seen.tools++);
    client.on('notifications/prompts/list_changed', () => seen.prompts++);
    await client.listening();
    expect(textOf(await client.callTool('test_trigger_tool_change', {}))).toBe('Mutation triggered');
    await waitFor(() => expect(seen.tools).toBe(1));
    await client.callTool('test_trigger_prompt_change', {});
    await waitFor(() => expect(seen.prompts).toBe(1));
  });

  it('test://watched-resource can be read, subscribed to and unsubscribed from', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const updates: string[] = [];
    client.on('notifications/resources/updated', (params) => updates.push(params.uri));
    const read = await client.readResource('test://watched-resource');
    expect(read.contents).toEqual([{ uri: 'test://watched-resource', mimeType: 'text/plain', text: 'Watched resource content' }]);

    await client.subscribe('test://watched-resource');
    await client.listening();
    expect(textOf(await client.callTool('touch_resource', { uri: 'test://watched-resource' }))).toBe('1');
    await waitFor(() => expect(updates).toEqual(['test://watched-resource']));
    expect(textOf(await client.callTool('touch_resource', { uri: 'test://other' }))).toBe('0');

    await client.unsubscribe('test://watched-resource');
    await client.listening();
    expect(textOf(await client.callTool('touch_resource', { uri: 'test://watched-resource' }))).toBe('0');
    expect(updates).toEqual(['test://watched-resource']);
  });

  it('serves the static resources, the template with its id substituted, and unknown URIs as errors', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const text = await client.readResource('test://static-text');
    expect(text.contents).toEqual([
      { uri: 'test://static-text', mimeType: 'text/plain', text: 'This is the content of the static text resource.' },
    ]);
    const binary = await client.readResource('test://static-binary');
    expect(binary.contents).toEqual([{ uri: 'test://static-binary', mimeType: 'image/png', blob: expect.stringMatching(/^iVBOR/) }]);
    const templated = await client.readResource('test://template/123/data');
    expect(templated.contents).toEqual([
      { uri: 'test://template/123/data', mimeType: 'application/json', text: '{"id":"123","templateTest":true,"data":"Data for ID: 123"}' },
    ]);
    const listed = await client.listResources();
    expect(listed.resources.map((r) => r.uri)).toEqual(['test://static-text', 'test://static-binary', 'test://watched-resource']);
    await expect(client.readResource('test://nowhere')).rejects.toMatchObject({
      code: era === 'legacy' ? 'ResourceNotFound' : 'InvalidParams',
      data: { uri: 'test://nowhere' },
    });
  });

  it('serves the prompts: arguments substituted, an embedded resource, an image; completes arg1', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const listed = await client.listPrompts();
    expect(listed.prompts.every((p) => typeof p.description === 'string' && p.description.length > 0)).toBe(true);
    const withArgs = await client.getPrompt('test_prompt_with_arguments', { arg1: 'testValue1', arg2: 'testValue2' });
    expect(withArgs.messages).toEqual([
      { role: 'user', content: { type: 'text', text: "Prompt with arguments: arg1='testValue1', arg2='testValue2'" } },
    ]);
    const embedded = await client.getPrompt('test_prompt_with_embedded_resource', { resourceUri: 'test://example-resource' });
    expect(embedded.messages[0]?.content).toMatchObject({ type: 'resource', resource: { uri: 'test://example-resource' } });
    const image = await client.getPrompt('test_prompt_with_image');
    expect(image.messages[0]?.content).toMatchObject({ type: 'image', mimeType: 'image/png' });
    await expect(client.getPrompt('test_prompt_with_arguments', { arg1: 'x' })).rejects.toMatchObject({ code: 'InvalidParams' });

    const completion = await client.request(
      'completion/complete',
      { ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' }, argument: { name: 'arg1', value: 'par' } },
      CompleteResultSchema,
    );
    expect(completion.completion).toEqual({ values: ['paris', 'park', 'party'], total: 3, hasMore: false });
    expect(client.serverCapabilities?.completions).toEqual({});
  });

  it('lists every tool with a description and json_schema_2020_12_tool with its schema untouched', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const { tools } = await client.listTools();
    expect(tools.every((t) => typeof t.description === 'string' && /^[A-Za-z0-9_./-]{1,64}$/.test(t.name))).toBe(true);
    const schema = tools.find((t) => t.name === 'json_schema_2020_12_tool')?.inputSchema as Record<string, unknown>;
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: { address: { $anchor: 'addressDef' } },
      allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
      if: { required: ['contactMethod'] },
      additionalProperties: false,
    });
  });
});

describe('the reference server answers the referee (legacy-only requests)', () => {
  it('test_sampling asks the client to sample and answers with its text', async () => {
    fixture = referenceFixture();
    const prompts: unknown[] = [];
    const client = await fixture.connect({
      era: 'legacy',
      onSamplingRequest: (params) => {
        prompts.push(params.messages[0]?.content);
        return { role: 'assistant', content: { type: 'text', text: 'This is a test response' }, model: 'test-model' };
      },
    });
    const result = await client.callTool('test_sampling', { prompt: 'Test prompt for sampling' });
    expect(textOf(result)).toBe('LLM response: This is a test response');
    expect(prompts).toEqual([{ type: 'text', text: 'Test prompt for sampling' }]);
  });

  it('the elicitation tools send the forms the referee inspects', async () => {
    fixture = referenceFixture();
    const schemas: unknown[] = [];
    const client = await fixture.connect({
      era: 'legacy',
      onElicitationRequest: (params) => {
        if ('requestedSchema' in params) schemas.push(params.requestedSchema);
        return { action: 'accept', content: { username: 'testuser', email: 'test@example.com' } };
      },
    });
    const contact = await client.callTool('test_elicitation', { message: 'Please provide your information' });
    expect(textOf(contact)).toBe('User response: action=accept, content={"username":"testuser","email":"test@example.com"}');
    await client.callTool('test_elicitation_sep1034_defaults', {});
    await client.callTool('test_elicitation_sep1330_enums', {});
    expect(schemas[0]).toMatchObject({ required: ['username', 'email'] });
    expect(schemas[1]).toMatchObject({
      properties: { name: { default: 'John Doe' }, age: { type: 'integer', default: 30 }, score: { default: 95.5 }, verified: { default: true } },
    });
    expect(Object.keys((schemas[2] as { properties: object }).properties)).toEqual([
      'untitledSingle',
      'titledSingle',
      'legacyEnum',
      'untitledMulti',
      'titledMulti',
    ]);
  });
});

describe('the reference server answers the referee (modern-only requests)', () => {
  it('test_missing_capability fails with -32021 naming sampling when the client did not declare it', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era: 'modern' });
    await expect(client.callTool('test_missing_capability', {})).rejects.toMatchObject({
      code: 'MissingRequiredClientCapability',
      data: { requiredCapabilities: { sampling: {} } },
    });
  });

  it('test_logging_tool sends no log when the request carried no log level', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era: 'modern' });
    const logs: unknown[] = [];
    client.on('notifications/message', (params) => logs.push(params));
    expect(textOf(await client.callTool('test_logging_tool', {}))).toBe('Logging evaluated');
    await client.setLogLevel('info');
    await client.callTool('test_logging_tool', {});
    expect(logs).toEqual([{ level: 'info', data: 'Diagnostic trace logging activated' }]);
  });
});
