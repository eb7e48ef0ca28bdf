// Metadata of a single-node cluster, kept in memory and persisted as one JSON document in
// `<data dir>/__cluster_metadata/metadata.json` (written to .tmp, fsynced, renamed).
// Deviation from Kafka: no metadata log or quorum on one node; the multi-node cluster replaces
// this with a Raft-replicated metadata log.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MetadataChange } from './metadata-change.ts';
import type { BrokerMeta, ChangeListener, CreateTopicSpec, MetadataStore, TopicMeta } from './types.ts';

interface Persisted {
  clusterId: string;
  topics: TopicMeta[];
  brokerConfigs: Record<string, string>;
}

export class LocalMetadata implements MetadataStore {
  private state: Persisted;
  private readonly file: string;
  private listeners: ChangeListener[] = [];

  constructor(
    dataDir: string,
    private readonly self: BrokerMeta,
  ) {
    const dir = path.join(dataDir, '__cluster_metadata');
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'metadata.json');
    this.state = fs.existsSync(this.file)
      ? (JSON.parse(fs.readFileSync(this.file, 'utf8')) as Persisted)
      : { clusterId: newClusterId(), topics: [], brokerConfigs: {} };
    this.save();
  }

  get clusterId(): string {
    return this.state.clusterId;
  }
  get controllerId(): number {
    return this.self.nodeId;
  }
  brokers(): BrokerMeta[] {
    return [this.self];
  }
  topics(): TopicMeta[] {
    return this.state.topics;
  }
  topic(name: string): TopicMeta | undefined {
    return this.state.topics.find((t) => t.name === name);
  }
  topicById(id: string): TopicMeta | undefined {
    return this.state.topics.find((t) => t.topicId === id);
  }

  async createTopic(spec: CreateTopicSpec): Promise<TopicMeta> {
    const id = this.self.nodeId;
    const topic: TopicMeta = {
      name: spec.name,
      topicId: randomBytes(16).toString('hex'),
      internal: spec.internal ?? false,
      partitions: Array.from({ length: spec.numPartitions }, (_, p) => {
        const replicas = spec.assignment?.[p] ?? [id];
        return { partition: p, leader: replicas[0], leaderEpoch: 0, replicas, isr: [...replicas] };
      }),
      configs: { ...spec.configs },
    };
    this.state.topics.push(topic);
    await this.commit(topicChange(spec.name));
    return topic;
  }

  async deleteTopic(name: string): Promise<void> {
    this.state.topics = this.state.topics.filter((t) => t.name !== name);
    await this.commit(topicChange(name));
  }

  async createPartitions(name: string, totalCount: number, assignment?: number[][]): Promise<void> {
    const t = this.topic(name)!;
    for (let p = t.partitions.length; p < totalCount; p++) {
      const replicas = assignment?.[p - t.partitions.length] ?? [this.self.nodeId];
      t.partitions.push({ partition: p, leader: replicas[0], leaderEpoch: 0, replicas, isr: [...replicas] });
    }
    await this.commit(topicChange(name));
  }

  async alterTopicConfigs(name: string, changes: Record<string, string | null>): Promise<void> {
    const t = this.topic(name)!;
    applyChanges(t.configs, changes);
    await this.commit(topicChange(name));
  }

  brokerConfigs(): Record<string, string> {
    return this.state.brokerConfigs;
  }
  async alterBrokerConfigs(changes: Record<string, string | null>): Promise<void> {
    applyChanges(this.state.brokerConfigs, changes);
    await this.commit(MetadataChange.everything());
  }

  async awaitVisible(name: string): Promise<TopicMeta | undefined> {
    return this.topic(name); // one node: nothing to propagate
  }

  onChange(fn: ChangeListener): void {
    this.listeners.push(fn);
  }

  /** Saves, and resolves once every listener has acted on the change. */
  private async commit(change: MetadataChange): Promise<void> {
    this.save();
    await Promise.all(this.listeners.map((fn) => fn(change)));
  }

  private save(): void {
    const tmp = this.file + '.tmp';
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, JSON.stringify(this.state, null, 1));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file);
  }
}

function topicChange(name: string): MetadataChange {
  const c = new MetadataChange();
  c.topic(name);
  return c;
}

function applyChanges(target: Record<string, string>, changes: Record<string, string | null>): void {
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete target[k];
    else target[k] = v;
  }
}

/** Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. */
function newClusterId(): string {
  return randomBytes(16).toString('base64url');
}
