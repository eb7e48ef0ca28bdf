// The node's group coordination service: the classic GroupCoordinator over the
// `__consumer_offsets` store, with its clock. Created by Broker.open and closed with it.

import type { Broker } from '../broker.ts';
import { COORDINATOR_DEFAULTS, GroupCoordinator } from './group-coordinator.ts';
import { OffsetsTopicStore } from './offsets-topic.ts';

const TICK_MS = 50;

export class Groups {
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly coordinator: GroupCoordinator,
    readonly store: OffsetsTopicStore,
  ) {}

  static open(broker: Broker): Groups {
    const c = broker.config;
    const store = new OffsetsTopicStore(broker, c.offsetsTopicNumPartitions);
    const coordinator = new GroupCoordinator(store, {
      ...COORDINATOR_DEFAULTS,
      initialRebalanceDelayMs: c.groupInitialRebalanceDelayMs,
      minSessionTimeoutMs: c.groupMinSessionTimeoutMs,
      maxSessionTimeoutMs: c.groupMaxSessionTimeoutMs,
      offsetsRetentionMs: c.offsetsRetentionMinutes * 60000,
    });
    const groups = new Groups(coordinator, store);
    // Broker.reconcile (registered first) has opened the logs by the time this runs.
    broker.metadata.onChange(() => store.syncOwnership(coordinator));
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
