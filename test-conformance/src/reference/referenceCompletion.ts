import { CompleteRequestParamsSchema, type CompleteResult, type Server } from '@tidings/protocol';

/** Candidate values per completable reference (`prompt:<name>` or `resource:<uriTemplate>`) and argument. */
const CANDIDATES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'prompt:test_prompt_with_arguments': {
    arg1: ['paris', 'park', 'party', 'test', 'testing'],
    arg2: ['hello', 'help', 'world'],
  },
  'resource:test://template/{id}/data': { id: ['1', '12', '123'] },
};

/**
 * Answers `completion/complete` (`completion-complete`): the candidates of
 * the referenced prompt argument or template variable that start with the
 * typed value, and an empty list for anything else. Registering the handler
 * makes the server declare the `completions` capability.
 */
export function registerReferenceCompletion(server: Server): void {
  server.setRequestHandler('completion/complete', CompleteRequestParamsSchema, ({ ref, argument }): CompleteResult => {
    const key = ref.type === 'ref/prompt' ? `prompt:${ref.name}` : `resource:${ref.uri}`;
    const values = (CANDIDATES[key]?.[argument.name] ?? []).filter((v) => v.startsWith(argument.value));
    return { completion: { values, total: values.length, hasMore: false } };
  });
}
