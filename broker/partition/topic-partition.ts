// The key of everything per partition on the data path: a topic name and a partition index as
// one value, instead of strings glued together at each use.

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Kafka's rendering (and the partition's directory name): `<topic>-<partition>`. */
export function tpName(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}
