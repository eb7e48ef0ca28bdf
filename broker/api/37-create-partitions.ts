// CreatePartitions (key 37), versions 0-3.
// Behaviour: raises a topic's partition count to `count`; new partitions are empty and take
// the explicit replica assignments when given (one per new partition, live and distinct
// brokers, as many replicas as the existing partitions), else the metadata store places them.
// Errors per topic (Kafka's codes and messages): UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS
// when the count is not an increase, INVALID_REPLICA_ASSIGNMENT for a bad assignment,
// INVALID_REQUEST for a topic named twice. validateOnly checks without changing anything.
// More than 10 000 new partitions in one request is POLICY_VIOLATION for every topic, as for
// CreateTopics (Kafka caps what one controller operation creates at 10 000 partitions too).
// The answer comes once every live broker has applied the new partitions and their leaders lead
// them; until then Metadata keeps reporting the old count (metadata/visibility.ts), so the count
// never goes down. REQUEST_TIMED_OUT after timeoutMs (30 s when it is <= 0).
// Deviation: Kafka answers once the controller has committed the change (DESIGN.md asks for
// read-your-writes across nodes).
// Authorization (--acls): ALTER on the topic, else TOPIC_AUTHORIZATION_FAILED, as Kafka.

import { controllerError } from '../metadata/controller.ts';
import { ADMIN_TIMEOUT_MS } from '../metadata/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { CreatePartitions } from '../protocol/messages/create-partitions.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler, MAX_PARTITIONS_PER_REQUEST } from './types.ts';

export default defineHandler(CreatePartitions, '0-3', async (req, ctx) => {
  const md = ctx.broker.metadata;
  const counts = new Map<string, number>();
  for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const added = req.topics.reduce(
    (n, t) => n + Math.max(0, t.count - (md.topic(t.name)?.partitions.length ?? t.count)),
    0,
  );
  const timeoutMs = req.timeoutMs > 0 ? req.timeoutMs : ADMIN_TIMEOUT_MS;
  const results = [];
  for (const t of req.topics) {
    const result = (errorCode: number, errorMessage: string | null) => ({ name: t.name, errorCode, errorMessage });
    if (added > MAX_PARTITIONS_PER_REQUEST) {
      results.push(result(ErrorCode.POLICY_VIOLATION, 'Excessively large number of partitions per request.'));
      continue;
    }
    if (counts.get(t.name)! > 1) {
      results.push(result(ErrorCode.INVALID_REQUEST, 'Duplicate topic name.'));
      continue;
    }
    if (!allowed(ctx, AclOperation.ALTER, ResourceType.TOPIC, t.name)) {
      results.push(result(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.'));
      continue;
    }
    const topic = md.topic(t.name);
    if (!topic) {
      results.push(result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${t.name}' does not exist.`));
      continue;
    }
    const current = topic.partitions.length;
    if (t.count < current) {
      results.push(
        result(
          ErrorCode.INVALID_PARTITIONS,
          `The topic ${t.name} currently has ${current} partition(s); ${t.count} would not be an increase.`,
        ),
      );
      continue;
    }
    if (t.count === current) {
      results.push(result(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partition(s).`));
      continue;
    }
    let assignment: number[][] | undefined;
    if (t.assignments !== null) {
      assignment = t.assignments.map((a) => a.brokerIds);
      const err = checkAssignment(
        assignment,
        t.count - current,
        topic.partitions[0]?.replicas.length ?? 1,
        md.brokers().map((b) => b.nodeId),
      );
      if (err) {
        results.push(result(ErrorCode.INVALID_REPLICA_ASSIGNMENT, err));
        continue;
      }
    }
    const failed = req.validateOnly
      ? null
      : await md.createPartitions(t.name, t.count, assignment, timeoutMs).then(() => null, controllerError);
    results.push(failed ? result(failed.errorCode, failed.errorMessage) : result(ErrorCode.NONE, null));
  }
  return { throttleTimeMs: 0, results };
});

function checkAssignment(assignment: number[][], added: number, rf: number, live: number[]): string | null {
  if (assignment.length !== added)
    return `Attempted to add ${added} additional partition(s), but only ${assignment.length} assignment(s) were specified.`;
  for (const replicas of assignment) {
    if (replicas.length === 0) return 'The manual partition assignment includes an empty replica list.';
    const missing = replicas.find((r) => !live.includes(r));
    if (missing !== undefined)
      return `The manual partition assignment includes broker ${missing}, but no such broker is registered.`;
    if (new Set(replicas).size !== replicas.length)
      return `The manual partition assignment includes the broker ${replicas.find((r, i) => replicas.indexOf(r) !== i)} more than once.`;
    if (replicas.length !== rf)
      return `The manual partition assignment includes a partition with ${replicas.length} replica(s), but this is not consistent with previous partitions, which have ${rf} replica(s).`;
  }
  return null;
}
