import { createMemoryTaskStore } from '../src/tasks/taskStore.js';
import { describeTaskStoreContract } from './helpers/taskStoreContract.js';

// The same contract runs against Redis in packages/redis/test/stores.test.ts.
describeTaskStoreContract('in memory', () => createMemoryTaskStore());
