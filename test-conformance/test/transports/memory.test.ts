import { createMemoryTransportPair } from '@tidings/protocol';
import { runConformance } from '../../src/index.js';

runConformance({
  name: 'memory',
  connect(server, { onCleanup }) {
    const [clientSide, serverSide] = createMemoryTransportPair();
    const connection = server.connect(serverSide);
    onCleanup(() => connection.close());
    return clientSide;
  },
});
