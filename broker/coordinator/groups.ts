// The node's group coordination service: the classic GroupCoordinator over the
// `__consumer_offsets` store, with its clock. Created by Broker.open and closed with it.

import type { BrokerConfig } from '../config.ts';
import { COORDINATOR_DEFAULTS, GroupCoordinator } from './group-coordinator.ts';
import { OffsetsTopicStore, type OffsetsTopicHost } from './offsets-topic.ts';

/** What group coordination needs from its node. */
export interface GroupsHost extends OffsetsTopicHost {
  readonly config: Pick<
    BrokerConfig,
    | 'offsetsTopicNumPartitions'
    | 'groupInitialRebalanceDelayMs'
    | 'groupMinSessionTimeoutMs'
    | 'groupMaxSessionTimeoutMs'
    | 'offsetsRetentionMinutes'
  >;
  /** fn runs whenever the node's partitions change (opened, removed, a new role). */
  onPartitionsChanged(fn: () => void): void;
}

const TICK_MS = 50;

export class Groups {
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly coordinator: GroupCoordinator,
    readonly store: OffsetsTopicStore,
  ) {}

  static open(host: GroupsHost): Groups {
    const c = host.config;
    const store = new OffsetsTopicStore(host, c.offsetsTopicNumPartitions);
    const coordinator = new GroupCoordinator(store, {
      ...COORDINATOR_DEFAULTS,
      initialRebalanceDelayMs: c.groupInitialRebalanceDelayMs,
      minSessionTimeoutMs: c.groupMinSessionTimeoutMs,
      maxSessionTimeoutMs: c.groupMaxSessionTimeoutMs,
      offsetsRetentionMs: c.offsetsRetentionMinutes * 60000,
    });
    const groups = new Groups(coordinator, store);
    // Called after each step of Broker.reconcile, once the partitions it opened have their roles.
    host.onPartitionsChanged(() => store.syncOwnership(coordinator));
    store.syncOwnership(coordinator);
    groups.timer = setInterval(() => coordinator.tick(), TICK_MS);
    groups.timer.unref();
    return groups;
  }

  /** The coordinator once `__consumer_offsets` exists (created on first use), or the error to answer. */
  async ready(): Promise<GroupCoordinator | number> {
    const err = await this.store.ensureTopic();
    if (err) return err;
    return this.coordinator;
  }

  close(): void {
    clearInterval(this.timer);
    this.coordinator.close();
  }
}
