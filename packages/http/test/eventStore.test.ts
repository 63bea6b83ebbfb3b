import { createInMemoryEventStore } from '@tidings/http';
import { describeEventStoreContract } from './helpers/eventStoreContract.js';

// The same contract runs against Redis Streams in packages/redis/test/stores.test.ts.
describeEventStoreContract('in memory', (bounds) => createInMemoryEventStore(bounds));
