import { runClusterColumn } from '../../../test-support/clusterColumn.js';

runClusterColumn();
