import type { Server } from '@tidings/protocol';
import { TEST_IMAGE_BASE64 } from './fixtures.js';

/** URI of the resource the referee subscribes to; `touch_resource` updates any URI, this one included. */
export const WATCHED_RESOURCE_URI = 'test://watched-resource';

/**
 * The referee's resources: `test://static-text` (`resources-read-text`),
 * `test://static-binary` (`resources-read-binary`), the template
 * `test://template/{id}/data` (`resources-templates-read`, which checks the
 * id is substituted into the text) and `test://watched-resource`
 * (`resources-subscribe`, `resources-unsubscribe`). Unknown URIs are the
 * core's: −32002 on legacy, −32602 with `data.uri` on modern
 * (`sep-2164-resource-not-found`).
 */
export function registerReferenceResources(server: Server): void {
  server.resource(
    {
      uri: 'test://static-text',
      name: 'static-text',
      title: 'Static Text Resource',
      description: 'A static text resource for testing',
      mimeType: 'text/plain',
    },
    () => 'This is the content of the static text resource.',
  );

  server.resource(
    {
      uri: 'test://static-binary',
      name: 'static-binary',
      title: 'Static Binary Resource',
      description: 'A static binary resource (image) for testing',
      mimeType: 'image/png',
    },
    (uri) => [{ uri, mimeType: 'image/png', blob: TEST_IMAGE_BASE64 }],
  );

  server.resourceTemplate(
    {
      uriTemplate: 'test://template/{id}/data',
      name: 'template',
      title: 'Resource Template',
      description: 'A resource template with parameter substitution',
      mimeType: 'application/json',
    },
    (_uri, _ctx, { id }) => JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
  );

  server.resource(
    {
      uri: WATCHED_RESOURCE_URI,
      name: 'watched-resource',
      title: 'Watched Resource',
      description: 'A resource clients subscribe to; touch_resource announces its updates',
      mimeType: 'text/plain',
    },
    () => 'Watched resource content',
  );
}
