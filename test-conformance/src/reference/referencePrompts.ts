import type { Server } from '@tidings/protocol';
import { TEST_IMAGE_BASE64 } from './fixtures.js';

/**
 * The referee's prompts: `test_simple_prompt` (`prompts-get-simple`),
 * `test_prompt_with_arguments` with required `arg1` and `arg2`, both
 * substituted into the text (`prompts-get-with-args`, and the prompt
 * `completion-complete` completes), `test_prompt_with_embedded_resource`
 * embedding the resource named by `resourceUri`
 * (`prompts-get-embedded-resource`) and `test_prompt_with_image`
 * (`prompts-get-with-image`). Every prompt has a description, which
 * `prompts-list` requires.
 */
export function registerReferencePrompts(server: Server): void {
  server.prompt(
    { name: 'test_simple_prompt', title: 'Simple Test Prompt', description: 'A simple prompt without arguments' },
    () => 'This is a simple prompt for testing.',
  );

  server.prompt(
    {
      name: 'test_prompt_with_arguments',
      title: 'Prompt With Arguments',
      description: 'A prompt with required arguments',
      arguments: [
        { name: 'arg1', description: 'First test argument', required: true },
        { name: 'arg2', description: 'Second test argument', required: true },
      ],
    },
    ({ arg1, arg2 }) => `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
  );

  server.prompt(
    {
      name: 'test_prompt_with_embedded_resource',
      title: 'Prompt With Embedded Resource',
      description: 'A prompt that includes an embedded resource',
      arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
    },
    ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: { uri: resourceUri!, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
          },
        },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    }),
  );

  server.prompt(
    { name: 'test_prompt_with_image', title: 'Prompt With Image', description: 'A prompt that includes image content' },
    () => ({
      messages: [
        { role: 'user', content: { type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' } },
        { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
      ],
    }),
  );
}
