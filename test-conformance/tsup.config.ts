import { packageBuild } from '../tsup.config.base.js';

export default packageBuild({
  index: 'src/index.ts',
  matrixReporter: 'src/matrixReporter.ts',
  'reference/cli': 'src/reference/cli.ts',
});
