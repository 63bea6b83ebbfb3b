import type { ClusterBus } from './clusterBus.js';

/** How a server joins the other nodes of its deployment (DESIGN.md §8, PROTOCOL.md §cluster). */
export interface ClusterOptions {
  /** The bus every node of the deployment shares (`createRedisClusterBus` from `@tidings/redis`). */
  readonly bus: ClusterBus;
  /** Prefix of the bus channels: nodes with the same one form one cluster. @default 'tidings' */
  readonly channel?: string;
  /** This node's id on the bus, unique in the cluster. @default a random UUID */
  readonly nodeId?: string;
  /**
   * How long `broadcast` and `notify` wait for the other nodes to say how
   * many of their recipients they reached. A node that does not answer in
   * time counts as reaching none (its deliveries still happen) and the
   * wait is reported as a `cluster-error`. @default 2000
   */
  readonly countTimeoutMs?: number;
}
