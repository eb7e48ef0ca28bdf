// Preferred-leader election (ElectLeaders, key 43, election type 0): the first replica of each
// partition leads again where it is in sync. Sent to the active controller, found with Metadata.
// Deviation from the console's rule of talking Kafka through @platformatic/kafka: version 1.35
// of the library (and kafkajs 2.2) has no ElectLeaders at all, so this one request goes over
// Samsa's own Kafka codec and connection (broker/client, broker/protocol), plaintext only. The
// Cluster screen that offers it exists for the bundled cluster alone.
import { KafkaConnection } from '../../broker/client/connection.ts';
import { ErrorCode, type ErrorName } from '../../broker/protocol/errors.ts';
import { ElectLeaders } from '../../broker/protocol/messages/elect-leaders.ts';
import { Metadata } from '../../broker/protocol/messages/metadata.ts';
import type { ElectLeadersResponse } from '../contract/cluster-control.ts';
import { ConsoleError } from './errors.ts';

const NAMES = new Map<number, ErrorName>(Object.entries(ErrorCode).map(([name, code]) => [code, name as ErrorName]));
const nameOf = (code: number) => NAMES.get(code) ?? `ERROR_${code}`;
const TIMEOUT_MS = 10_000;

async function withConnection<T>(address: string, fn: (c: KafkaConnection) => Promise<T>): Promise<T> {
  const at = address.lastIndexOf(':');
  const c = await KafkaConnection.connect(address.slice(0, at), Number(address.slice(at + 1)), 'samsa-console', TIMEOUT_MS);
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

async function controllerAddress(bootstrap: string[]): Promise<string> {
  let last: Error = new Error('no bootstrap server');
  for (const b of bootstrap) {
    try {
      const md = await withConnection(b, (c) => c.request(Metadata, 12, { topics: [], allowAutoTopicCreation: false }, TIMEOUT_MS));
      const ctl = md.brokers.find((x) => x.nodeId === md.controllerId);
      if (ctl) return `${ctl.host}:${ctl.port}`;
      last = new Error('the cluster has no active controller now');
    } catch (e) {
      last = e as Error;
    }
  }
  throw new ConsoleError('CLUSTER_UNREACHABLE', `Cannot find the controller: ${last.message}`, 502);
}

/** null partitions: every partition of the cluster. */
export async function electPreferredLeaders(bootstrap: string[], partitions: { topic: string; partition: number }[] | null): Promise<ElectLeadersResponse> {
  const byTopic = new Map<string, number[]>();
  for (const p of partitions ?? []) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
  const topicPartitions = partitions === null ? null : [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps }));
  for (let attempt = 0; ; attempt++) {
    const res = await withConnection(await controllerAddress(bootstrap), (c) =>
      c.request(ElectLeaders, 2, { electionType: 0, topicPartitions, timeoutMs: TIMEOUT_MS }, TIMEOUT_MS + 5000),
    );
    // The controller moved between the two requests: ask the new one.
    if (res.errorCode === ErrorCode.NOT_CONTROLLER && attempt < 2) continue;
    if (res.errorCode !== ErrorCode.NONE) throw new ConsoleError(nameOf(res.errorCode), `ElectLeaders failed: ${nameOf(res.errorCode)}`, 502);
    return {
      results: res.replicaElectionResults.flatMap((t) =>
        t.partitionResult.map((p) => ({ topic: t.topic, partition: p.partitionId, code: nameOf(p.errorCode), message: p.errorMessage })),
      ),
    };
  }
}
