import { packageBuild } from '../../tsup.config.base.js';

// `client` is the runtime-neutral entry: what a browser bundle imports.
export default packageBuild(['src/index.ts', 'src/client.ts']);
