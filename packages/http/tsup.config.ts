import { packageBuild } from '../../tsup.config.base.js';

// `client` loads no server module: what the client entries of the HTTP adapters import.
export default packageBuild(['src/index.ts', 'src/client.ts']);
