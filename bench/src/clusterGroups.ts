import type { CaseSpec, Group } from './groups.js';

const clusterCase = (impl: string, label: string, args: readonly string[]): CaseSpec => ({
  impl,
  label,
  script: 'cases/cluster.ts',
  args,
  limitMs: 150_000,
});

/** Issue 16: several nodes on one real Redis (full runs only; `--only cluster`). */
export function clusterGroups(): Group[] {
  return [
    {
      id: 'cluster',
      title: '6a. Cluster: broadcast of one tools/list_changed to 10,000 listen streams, one process vs 4 processes on one Redis',
      ratioNote: 'ratio of time until every stream got it, ÷ the single process: lower is better (target ≤ 1.5×)',
      columns: [
        { metric: 'allReceivedMs', title: 'all got it ms (p50)' },
        { metric: 'bestMs', title: 'best ms' },
        { metric: 'serverCallMs', title: 'server call ms' },
        { metric: 'reached', title: 'reached' },
        { metric: 'openMs', title: 'opening took ms' },
      ],
      ratioMetrics: ['allReceivedMs'],
      peers: [['one-process', 'T/1 process']],
      cases: [
        clusterCase('one-process', 'one process, no cluster (10,000 streams)', ['--mode', 'fanout', '--nodes', '1', '--streams', '10000']),
        clusterCase('tidings-lone-node', 'one process with the cluster option on Redis', ['--mode', 'fanout', '--nodes', '1', '--streams', '10000', '--redis']),
        clusterCase('tidings-4-nodes', '4 processes on one Redis, 2,500 streams each', ['--mode', 'fanout', '--nodes', '4', '--streams', '10000']),
      ],
      footnotes: [
        'Node 0 broadcasts; its call resolves once every node answered its count (reached = cluster-wide). Time: call → last receipt, median of 5 after a warm-up.',
        'Streams are plain node:http listen streams in the case process, opened evenly over the nodes. redis-server: the tests\' helper (test-support/redisServer.ts).',
      ],
    },
    {
      id: 'cluster',
      title: '6b. Cluster: cross-node notifications through one Redis (node 0 broadcasts 50,000; node 1 holds the listen streams)',
      ratioNote: 'no peer has a cluster; target ≥ 50,000/s crossing Redis, lost 0',
      columns: [
        { metric: 'perSecond', title: 'crossing Redis /s' },
        { metric: 'deliveriesPerSecond', title: 'delivered /s' },
        { metric: 'elapsedMs', title: 'ms' },
        { metric: 'lost', title: 'lost' },
        { metric: 'duplicated', title: 'duplicated' },
        { metric: 'clusterErrors', title: 'cluster errors' },
      ],
      ratioMetrics: [],
      cases: [
        clusterCase('tidings-crossnode-1', '1 listen stream on node 1', ['--mode', 'crossnode', '--streams', '1', '--messages', '50000']),
        clusterCase('tidings-crossnode-10', '10 listen streams on node 1', ['--mode', 'crossnode', '--streams', '10', '--messages', '50000']),
        clusterCase('tidings-crossnode-1-log', '1 listen stream on node 1, through the bus\'s log', ['--mode', 'crossnode', '--streams', '1', '--messages', '50000', '--log']),
      ],
      footnotes: [
        'Each broadcast crosses Redis once and is delivered by node 1 to each of its streams; at most 256 broadcasts unsettled (each settles on node 1\'s count reply).',
        'Through the log: each broadcast kept in the bus\'s log and published in one script (XADD and PUBLISH), as nodes serving shared legacy sessions publish (PROTOCOL.md §shared-sessions).',
        'Time: the first call → the last stream has them all (one monotonic clock); every occurrence counted on the client, so a loss or a duplicate shows.',
      ],
    },
  ];
}
