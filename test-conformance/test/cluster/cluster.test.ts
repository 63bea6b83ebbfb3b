import { runClusterColumn } from '../../../test-support/clusterColumn.js';

// Part of the run only when asked (`pnpm conformance --cluster`, or REDIS_URL set): see vitest.config.ts.
runClusterColumn();
