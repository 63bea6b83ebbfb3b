import { packageBuild } from '../../tsup.config.base.js';

// `http` is what transport adapters use and applications do not (`@tidings/protocol/http`).
export default packageBuild(['src/index.ts', 'src/http.ts']);
