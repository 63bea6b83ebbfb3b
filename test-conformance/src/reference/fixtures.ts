/**
 * A 1×1 red PNG, base64: the image the referee's image scenarios expect
 * (`tools-call-image`, `tools-call-mixed-content`, `prompts-get-with-image`,
 * `resources-read-binary`).
 */
export const TEST_IMAGE_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** A minimal WAV file, base64: `tools-call-audio` checks for `audio/wav`. */
export const TEST_AUDIO_BASE64 = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

/**
 * The input schema of `json_schema_2020_12_tool`, published as is: the
 * referee's `json-schema-2020-12` scenario checks that `$schema`, `$defs`
 * and `additionalProperties` (SEP-1613) and, from 0.2.0, the composition
 * (`allOf`/`anyOf`), conditional (`if`/`then`/`else`) and `$anchor` keywords
 * (SEP-2106) reach the client unchanged.
 */
export const JSON_SCHEMA_2020_12_INPUT_SCHEMA: Record<string, unknown> = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      $anchor: 'addressDef',
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
};
