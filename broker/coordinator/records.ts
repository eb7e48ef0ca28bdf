// Records of the `__consumer_offsets` internal topic, in Kafka's formats
// (../shared/kafka-reference/internal-topics): every key and value is an int16 version followed
// by the struct of that version. Key version 0/1 = OffsetCommitKey, 2 = GroupMetadataKey; a null
// value is a tombstone. Declared with our schema codec so flexible value versions (4+) decode too.
// Written versions follow Kafka 3.x/4.x: OffsetCommitValue 3 (1 when the commit carries an expire
// timestamp), GroupMetadataValue 3.

import { Reader } from '../protocol/reader.ts';
import { array, decode, encode, struct, T, type Fields, type In, type Message, type Out, type StructType } from '../protocol/schema.ts';
import { Writer } from '../protocol/writer.ts';

export const OFFSETS_TOPIC = '__consumer_offsets';

/** A versioned record struct (key or value of an internal topic). */
export const msg = <F extends Fields>(fields: F, flexibleFrom = Infinity) => ({
  struct: struct(fields),
  flexibleFrom,
});

const OffsetCommitKey = msg({ group: T.string, topic: T.string, partition: T.int32 });
const OffsetCommitValue = msg(
  {
    offset: T.int64,
    leaderEpoch: { type: T.int32, v: '3+', default: -1 },
    metadata: T.string,
    commitTimestamp: T.int64,
    expireTimestamp: { type: T.int64, v: '1', default: -1 },
  },
  4,
);
const GroupMetadataKey = msg({ group: T.string });
const MemberMetadata = struct({
  memberId: T.string,
  groupInstanceId: { type: T.nstring, v: '3+', default: null },
  clientId: T.string,
  clientHost: T.string,
  rebalanceTimeout: { type: T.int32, v: '1+', default: -1 },
  sessionTimeout: T.int32,
  subscription: T.bytes,
  assignment: T.bytes,
});
const GroupMetadataValue = msg(
  {
    protocolType: T.string,
    generation: T.int32,
    protocol: T.nstring,
    leader: T.nstring,
    currentStateTimestamp: { type: T.int64, v: '2+', default: -1 },
    members: array(MemberMetadata),
  },
  4,
);

export type OffsetValue = In<(typeof OffsetCommitValue)['struct']>;
export type GroupValue = In<(typeof GroupMetadataValue)['struct']>;
export type MemberValue = GroupValue['members'][number];

/** int16 version, then the struct of that version. */
export function versioned<F extends Fields>(m: Message<F>, version: number, value: Out<StructType<F>>): Buffer {
  const w = new Writer(128);
  w.int16(version);
  encode(m, version, value, w);
  return w.toBuffer();
}

export function offsetKey(group: string, topic: string, partition: number): Buffer {
  return versioned(OffsetCommitKey, 1, { group, topic, partition });
}

export function offsetValue(v: {
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  expireTimestamp: number;
}): Buffer {
  return versioned(OffsetCommitValue, v.expireTimestamp >= 0 ? 1 : 3, v);
}

export function groupKey(group: string): Buffer {
  return versioned(GroupMetadataKey, 2, { group });
}

export function groupValue(v: GroupValue): Buffer {
  return versioned(GroupMetadataValue, 3, v);
}

export type DecodedRecord =
  | { type: 'offset'; group: string; topic: string; partition: number; value: OffsetValue | null }
  | { type: 'group'; group: string; value: GroupValue | null }
  | { type: 'unknown' };

/** Decodes one record of the topic; unknown key versions (e.g. KIP-848 records) are skipped. */
export function decodeRecord(key: Buffer | null, value: Buffer | null): DecodedRecord {
  if (!key || key.length < 2) return { type: 'unknown' };
  const kr = new Reader(key);
  const kv = kr.int16();
  const valueOf = <F extends Fields>(m: Message<F>, max: number) => {
    if (!value) return null;
    const vr = new Reader(value);
    const ver = vr.int16();
    // Kafka reads newer value versions as the newest it knows (KIP-915): fields are additive.
    return decode(m, Math.min(ver, max), vr);
  };
  if (kv === 0 || kv === 1) {
    const k = decode(OffsetCommitKey, kv, kr);
    return {
      type: 'offset',
      group: k.group,
      topic: k.topic,
      partition: k.partition,
      value: valueOf(OffsetCommitValue, 4) as OffsetValue | null,
    };
  }
  if (kv === 2) {
    const k = decode(GroupMetadataKey, kv, kr);
    return { type: 'group', group: k.group, value: valueOf(GroupMetadataValue, 4) as GroupValue | null };
  }
  return { type: 'unknown' };
}

/** Java's String.hashCode over UTF-16 code units, as Kafka uses to place a group. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's `Utils.abs(groupId.hashCode) % numPartitions`. */
export function partitionForGroup(groupId: string, numPartitions: number): number {
  const h = javaStringHashCode(groupId);
  const abs = h === -2147483648 ? 0 : Math.abs(h);
  return abs % numPartitions;
}
