// Creates a topic a console-run workload writes to (the failover demo's, the demo workloads'),
// and waits until every partition has a leader, so the first send does not race the election.
// A node that is restarting, or was fenced for a missed heartbeat, registers again within
// seconds: a replication factor it is needed for waits for it (bounded) rather than refusing a
// click made just then.
import type { KafkaConnection } from './connection.ts';
import { ConsoleError, toErrorBody } from './errors.ts';

/** Creating while a broker is briefly unregistered: 20 tries, 500 ms apart. */
const CREATE_ATTEMPTS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicas: number;
  configs?: Record<string, string>;
}

/** Creates the topic if missing; true when it was created, false when it already existed. */
export async function ensureTopic(conn: KafkaConnection, spec: TopicSpec): Promise<boolean> {
  const { topic, partitions } = spec;
  if ((await conn.clusterView([topic])).topics.has(topic)) return false;
  for (let attempt = 1; ; attempt++) {
    try {
      await conn.admin.createTopics({
        topics: [topic],
        partitions,
        replicas: spec.replicas,
        configs: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
      });
      break;
    } catch (e) {
      const code = toErrorBody(e).body.error.code;
      // Someone else (another console, a second click) created it meanwhile: fine.
      if (code === 'TOPIC_ALREADY_EXISTS') break;
      if (code !== 'INVALID_REPLICATION_FACTOR' || attempt >= CREATE_ATTEMPTS) throw e;
      await sleep(500);
    }
  }
  for (let i = 0; i < 100; i++) {
    const t = (await conn.clusterView([topic])).topics.get(topic);
    if (t && t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0)) return true;
    await sleep(100);
  }
  throw new ConsoleError(
    'LEADER_NOT_AVAILABLE',
    `Topic ${topic} was created but its partitions have no leaders yet.`,
    503,
  );
}
