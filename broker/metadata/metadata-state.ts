// The materialized cluster metadata: what every node gets by applying the committed metadata
// log in order. Records are small JSON objects carried in the values of the metadata log.
// Deviation from Kafka: Kafka's metadata records (RegisterBrokerRecord, TopicRecord,
// PartitionRecord, PartitionChangeRecord, ConfigRecord, FenceBrokerRecord ...) are binary,
// versioned message schemas; here they are JSON with the same meaning, each with an `at` field
// (ms since the epoch, set by the proposing controller; Kafka has the batch's append time):
//   LeaderChange        {type, leaderId, epoch}                 (no state change)
//   RegisterBroker      {type, broker: BrokerMeta, incarnation} (registered fenced)
//   FenceBroker / UnfenceBroker {type, nodeId}
//   LogDirsOffline      {type, nodeId}   the broker's log dir failed (its heartbeat's
//                                      offlineLogDirs); cleared by its next RegisterBroker
//   Topic               {type, topic: TopicMeta}                (create, with all partitions)
//   RemoveTopic         {type, name}
//   Partition           {type, topic, partition: PartitionMeta} (new partition or any change)
//   TopicConfigs        {type, name, changes}
//   BrokerConfigs       {type, changes}
//   UserScramCredential {type, name, mechanism, salt, storedKey, serverKey, iterations}
//                                      (Kafka's UserScramCredentialRecord; keys in base64)
//   RemoveUserScramCredential {type, name, mechanism}
//   AccessControlEntry  {type, id, resourceType, resourceName, patternType, principal, host,
//                        operation, permissionType}   (Kafka's AccessControlEntryRecord: one
//                                      ACL binding, enums as Kafka's codes, id a uuid)
//   RemoveAccessControlEntry {type, id}   (Kafka's RemoveAccessControlEntryRecord)
//   Propagated          {type, upTo}   every live broker had applied the records below offset
//                                      upTo (written by the controller; makes new partitions
//                                      visible, see visibility.ts)
// Every partition is stamped at apply time with the offset of the record that created it
// (createdAt) and of the Propagated record that covered it (visibleAt), identically on every node.

import type { AclBinding } from '../security/authorizer.ts';
import type { ScramMechanismName } from '../security/scram.ts';
import { MetadataChange } from './metadata-change.ts';
import type { BrokerMeta, PartitionMeta, TopicMeta } from './types.ts';

export type MetadataRecord =
  | { type: 'LeaderChange'; leaderId: number; epoch: number }
  | { type: 'RegisterBroker'; broker: BrokerMeta; incarnation: string }
  | { type: 'FenceBroker'; nodeId: number }
  | { type: 'UnfenceBroker'; nodeId: number }
  | { type: 'LogDirsOffline'; nodeId: number }
  | { type: 'Topic'; topic: TopicMeta }
  | { type: 'RemoveTopic'; name: string }
  | { type: 'Partition'; topic: string; partition: PartitionMeta }
  | { type: 'TopicConfigs'; name: string; changes: Record<string, string | null> }
  | { type: 'BrokerConfigs'; changes: Record<string, string | null> }
  | { type: 'Propagated'; upTo: number }
  | ({ type: 'UserScramCredential'; name: string } & StoredScramCredential)
  | { type: 'RemoveUserScramCredential'; name: string; mechanism: ScramMechanismName }
  | ({ type: 'AccessControlEntry'; id: string } & AclBinding)
  | { type: 'RemoveAccessControlEntry'; id: string };

/** An ACL binding as the metadata log keeps it, with its id. */
export type StoredAcl = AclBinding & { id: string };

/** A SCRAM credential as the metadata log carries it (binary keys in base64). */
export interface StoredScramCredential {
  mechanism: ScramMechanismName;
  salt: string;
  storedKey: string;
  serverKey: string;
  iterations: number;
}

export interface RegisteredBroker extends BrokerMeta {
  fenced: boolean;
  incarnation: string;
  /** Offset of the registration record: Kafka's broker epoch. */
  epoch: number;
  /** Its log dir is offline: it leads and joins nothing it can avoid until it re-registers. */
  logDirsOffline?: boolean;
}

interface Data {
  brokers: RegisteredBroker[];
  topics: TopicMeta[];
  brokerConfigs: Record<string, string>;
  /** Absent in snapshots written before SCRAM credentials existed. */
  scram?: { name: string; credentials: StoredScramCredential[] }[];
  /** Absent in snapshots written before ACLs existed. */
  acls?: StoredAcl[];
}

export class MetadataState {
  brokers = new Map<number, RegisteredBroker>();
  topics = new Map<string, TopicMeta>();
  /** The same topics by id (Fetch v13+, Metadata and DeleteTopics by id). */
  private byId = new Map<string, TopicMeta>();
  brokerConfigs: Record<string, string> = {};
  /** SCRAM credentials by user name, then mechanism. */
  scram = new Map<string, Map<ScramMechanismName, StoredScramCredential>>();
  /** ACL bindings by id, in creation order. */
  acls = new Map<string, StoredAcl>();

  /**
   * Applies one record and adds what it touched to `change` (returned): the partitions it
   * changed, the whole topic when created, deleted or reconfigured, everything for broker-wide
   * changes.
   */
  apply(r: MetadataRecord, offset: number, change = new MetadataChange()): MetadataChange {
    switch (r.type) {
      case 'LeaderChange':
        return change;
      case 'RegisterBroker':
        this.brokers.set(r.broker.nodeId, { ...r.broker, fenced: true, incarnation: r.incarnation, epoch: offset });
        change.everything();
        return change;
      case 'FenceBroker':
      case 'UnfenceBroker': {
        const b = this.brokers.get(r.nodeId);
        if (b) b.fenced = r.type === 'FenceBroker';
        change.everything();
        return change;
      }
      case 'LogDirsOffline': {
        const b = this.brokers.get(r.nodeId);
        if (b) b.logDirsOffline = true;
        change.everything();
        return change;
      }
      case 'Topic': {
        const t = structuredClone(r.topic);
        t.partitions = t.partitions.map((p) => created(p, offset));
        this.removeTopic(t.name);
        this.topics.set(t.name, t);
        this.byId.set(t.topicId, t);
        change.topic(t.name);
        return change;
      }
      case 'RemoveTopic':
        this.removeTopic(r.name);
        change.topic(r.name);
        return change;
      case 'Partition': {
        const t = this.topics.get(r.topic);
        if (!t) {
          change.topic(r.topic);
          return change;
        }
        const old = t.partitions[r.partition.partition];
        // A change keeps the creation stamps of this node's copy, whatever the record carries.
        t.partitions[r.partition.partition] = old
          ? { ...r.partition, createdAt: old.createdAt, visibleAt: old.visibleAt }
          : created(r.partition, offset);
        change.partition(r.topic, r.partition.partition);
        return change;
      }
      case 'TopicConfigs': {
        const t = this.topics.get(r.name);
        if (t) applyChanges(t.configs, r.changes);
        change.topic(r.name);
        return change;
      }
      case 'BrokerConfigs':
        applyChanges(this.brokerConfigs, r.changes);
        change.everything();
        return change;
      case 'UserScramCredential': {
        const { type: _, name, ...cred } = r;
        const user = this.scram.get(name) ?? new Map<ScramMechanismName, StoredScramCredential>();
        user.set(cred.mechanism, cred);
        this.scram.set(name, user);
        return change;
      }
      case 'RemoveUserScramCredential': {
        const user = this.scram.get(r.name);
        user?.delete(r.mechanism);
        if (user?.size === 0) this.scram.delete(r.name);
        return change;
      }
      case 'AccessControlEntry': {
        const { type: _, ...acl } = r;
        this.acls.set(acl.id, acl);
        return change;
      }
      case 'RemoveAccessControlEntry':
        this.acls.delete(r.id);
        return change;
      case 'Propagated': {
        for (const t of this.topics.values()) {
          for (const p of t.partitions) {
            if (p.visibleAt === undefined && p.createdAt !== undefined && p.createdAt < r.upTo) {
              p.visibleAt = offset;
              change.partition(t.name, p.partition);
            }
          }
        }
        return change;
      }
    }
  }

  topicById(id: string): TopicMeta | undefined {
    return this.byId.get(id);
  }

  private removeTopic(name: string): void {
    const t = this.topics.get(name);
    if (!t) return;
    this.topics.delete(name);
    if (this.byId.get(t.topicId) === t) this.byId.delete(t.topicId);
  }

  /** The lowest creation offset of a partition not yet visible, or Infinity. */
  firstHidden(): number {
    let min = Infinity;
    for (const t of this.topics.values())
      for (const p of t.partitions) if (p.visibleAt === undefined && p.createdAt !== undefined) min = Math.min(min, p.createdAt);
    return min;
  }

  snapshot(): Data {
    return structuredClone({
      brokers: [...this.brokers.values()],
      topics: [...this.topics.values()],
      brokerConfigs: this.brokerConfigs,
      scram: [...this.scram].map(([name, creds]) => ({ name, credentials: [...creds.values()] })),
      acls: [...this.acls.values()],
    });
  }

  restore(data: unknown): void {
    const d = structuredClone(data as Data);
    this.brokers = new Map(d.brokers.map((b) => [b.nodeId, b]));
    this.topics = new Map(d.topics.map((t) => [t.name, t]));
    this.byId = new Map(d.topics.map((t) => [t.topicId, t]));
    this.brokerConfigs = d.brokerConfigs;
    this.scram = new Map((d.scram ?? []).map((u) => [u.name, new Map(u.credentials.map((c) => [c.mechanism, c]))]));
    this.acls = new Map((d.acls ?? []).map((a) => [a.id, a]));
  }

  unfenced(): RegisteredBroker[] {
    return [...this.brokers.values()].filter((b) => !b.fenced).sort((a, b) => a.nodeId - b.nodeId);
  }
}

/** The record of a change to a partition (its partition epoch bumped, as KRaft's). */
export function partitionChange(
  topic: string,
  p: PartitionMeta,
  c: Partial<PartitionMeta>,
): Extract<MetadataRecord, { type: 'Partition' }> {
  return { type: 'Partition', topic, partition: { ...p, ...c, partitionEpoch: (p.partitionEpoch ?? 0) + 1 } };
}

function created(p: PartitionMeta, offset: number): PartitionMeta {
  const { visibleAt: _, ...rest } = p;
  return { ...rest, createdAt: offset };
}

export function applyChanges(target: Record<string, string>, changes: Record<string, string | null>): void {
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete target[k];
    else target[k] = v;
  }
}
