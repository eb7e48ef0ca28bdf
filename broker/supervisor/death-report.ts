// The supervisor's report of a node it saw die. The supervisor is every node's parent process, so
// it learns of a kill -9 or a crash the moment the child exits; it then tells the active
// controller on the dead node's behalf: a BrokerHeartbeat with wantFence=true for that broker id
// and the broker epoch its process last reported (the 'registered' IPC message of broker/node.ts),
// sent to the controller listener of every running voter (the active controller fences; the
// others answer NOT_CONTROLLER) and retried while no controller answers (the dead node was the
// controller: its successor is being elected). The controller fences the broker at once and
// moves its leadership (metadata/controller.ts fenceAtRequest), instead of waiting out its
// session.
// Deviation from Kafka: Kafka has no supervisor, and a broker that dies without a controlled
// shutdown is fenced only when its heartbeat session times out (broker.session.timeout.ms); here
// a supervised node's kill or crash is fenced within a round trip (docs/decisions/0018).
// A dead node that led the metadata quorum (it was the active controller) leaves the voters
// without a leader until one's election timeout fires (300-1000 ms, more after a split vote).
// The report first asks each running voter (DescribeQuorum) whom it follows: those still
// following the dead node get the EndQuorumEpoch it would have sent had it resigned (its id,
// their epoch, the others as successors, the longest log first), so the best placed stands at
// once (metadata/raft.ts handleEndEpoch); the wantFence report then reaches the new controller.
// Deviation from Kafka: only a resigning leader sends EndQuorumEpoch; a voter ignores one whose
// epoch or leader is not the one it follows, so a late one is harmless.
// Only for an exit the supervisor did not ask for a clean stop of (a clean stop is a controlled
// shutdown already) and never for a pause (SIGSTOP: the node is alive, the session timeout
// decides). Safe against restarts: the controller fences only if the epoch is the broker's
// current registration, so a report that arrives after the node came back and registered again
// is STALE_BROKER_EPOCH and fences nothing.

import { KafkaConnection } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { BrokerHeartbeat } from '../protocol/messages/broker-heartbeat.ts';
import { DescribeQuorum } from '../protocol/messages/describe-quorum.ts';
import { EndQuorumEpoch } from '../protocol/messages/end-quorum-epoch.ts';
import { METADATA_TOPIC } from '../metadata/raft-transport.ts';

export interface ControllerEndpoint {
  id: number;
  host: string;
  port: number;
}

export type DeathReportOutcome =
  /** The controller fenced the broker (or found it fenced already). */
  | 'fenced'
  /** The broker registered again since (a new incarnation) or is not registered: nothing fenced. */
  | 'stale'
  /** No controller answered before the deadline (the session timeout fences it then). */
  | 'no-controller'
  | 'aborted';

export interface DeathReport {
  nodeId: number;
  brokerEpoch: number;
  /** The voters' controller listeners to ask, read again before each round (nodes come and go). */
  controllers: () => ControllerEndpoint[];
  /** With the cluster id, a dead quorum leader's epoch is ended for it (EndQuorumEpoch). */
  clusterId?: string;
  /** Give up after this long (ms). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const RETRY_MS = 50;
const REQUEST_TIMEOUT_MS = 1000;

/** One round: the outcome if some voter settled it, null if none is the controller yet. */
async function round(r: DeathReport, conns: Map<number, Promise<KafkaConnection>>): Promise<DeathReportOutcome | null> {
  const ask = async (c: ControllerEndpoint): Promise<DeathReportOutcome | null> => {
    let conn = conns.get(c.port);
    if (!conn) {
      conn = KafkaConnection.connect(c.host, c.port, 'samsa-supervisor-death-report', REQUEST_TIMEOUT_MS);
      conns.set(c.port, conn);
    }
    try {
      const k = await conn;
      const res = await k.request(
        BrokerHeartbeat,
        1,
        { brokerId: r.nodeId, brokerEpoch: r.brokerEpoch, currentMetadataOffset: -1, wantFence: true, wantShutDown: false, offlineLogDirs: [] },
        REQUEST_TIMEOUT_MS,
      );
      if (res.errorCode === ErrorCode.NONE) return 'fenced';
      if (res.errorCode === ErrorCode.STALE_BROKER_EPOCH || res.errorCode === ErrorCode.BROKER_ID_NOT_REGISTERED) return 'stale';
      return null; // NOT_CONTROLLER, or a controller that could not write (lost its quorum)
    } catch {
      conns.delete(c.port);
      void conn.then((k) => k.close(), () => {});
      return null;
    }
  };
  const outcomes = await Promise.all(r.controllers().map(ask));
  return outcomes.find((o) => o !== null) ?? null;
}

async function withConnection<T>(c: ControllerEndpoint, fn: (k: KafkaConnection) => Promise<T>): Promise<T | null> {
  let k: KafkaConnection | undefined;
  try {
    k = await KafkaConnection.connect(c.host, c.port, 'samsa-supervisor-death-report', REQUEST_TIMEOUT_MS);
    return await fn(k);
  } catch {
    return null;
  } finally {
    k?.close();
  }
}

/**
 * Ends the quorum epoch of dead node `nodeId` for it, at the voters that still follow it. Resolves
 * with the number of voters told (0 when none followed it: it was not the quorum leader).
 */
export async function endDeadLeaderEpoch(nodeId: number, clusterId: string, voters: ControllerEndpoint[]): Promise<number> {
  const views = await Promise.all(
    voters.map(async (v) => {
      const res = await withConnection(v, (k) =>
        k.request(DescribeQuorum, 0, { topics: [{ topicName: METADATA_TOPIC, partitions: [{ partitionIndex: 0 }] }] }, REQUEST_TIMEOUT_MS),
      );
      const p = res?.topics[0]?.partitions[0];
      if (!p || p.errorCode !== ErrorCode.NONE || p.leaderId !== nodeId) return null;
      return { voter: v, epoch: p.leaderEpoch, logEnd: p.currentVoters.find((c) => c.replicaId === v.id)?.logEndOffset ?? -1 };
    }),
  );
  const followers = views.filter((x) => x !== null).sort((a, b) => b.logEnd - a.logEnd);
  const successors = followers.map((f) => f.voter.id);
  const told = await Promise.all(
    followers.map((f) =>
      withConnection(f.voter, (k) =>
        k.request(
          EndQuorumEpoch,
          0,
          {
            clusterId,
            topics: [{ topicName: METADATA_TOPIC, partitions: [{ partitionIndex: 0, leaderId: nodeId, leaderEpoch: f.epoch, preferredSuccessors: successors }] }],
          },
          REQUEST_TIMEOUT_MS,
        ),
      ),
    ),
  );
  return told.filter((res) => res?.errorCode === ErrorCode.NONE).length;
}

/**
 * Sends the report until a controller settles it, the deadline passes or `signal` aborts (with
 * `clusterId`, after ending the dead node's quorum epoch if it led the quorum).
 */
export async function reportDeath(r: DeathReport): Promise<DeathReportOutcome> {
  // Alongside: the controller usually lives (the first round fences), and these are a few ms.
  const handOver = r.clusterId !== undefined ? endDeadLeaderEpoch(r.nodeId, r.clusterId, r.controllers()) : Promise.resolve(0);
  const deadline = Date.now() + (r.timeoutMs ?? 10_000);
  const conns = new Map<number, Promise<KafkaConnection>>();
  try {
    for (;;) {
      if (r.signal?.aborted) return 'aborted';
      const outcome = await round(r, conns);
      if (outcome) return outcome;
      if (Date.now() + RETRY_MS > deadline) return 'no-controller';
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  } finally {
    for (const c of conns.values()) void c.then((k) => k.close(), () => {});
    await handOver;
  }
}
