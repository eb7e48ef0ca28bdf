// DeleteTopics (key 20), versions 1-6 (clients send 1 and up; Kafka 4's minimum is 1).
// Behaviour: v0-5 name topics, v6 names or topic ids. A missing topic is
// UNKNOWN_TOPIC_OR_PARTITION (by name) or UNKNOWN_TOPIC_ID (by id); a v6 entry with both a name
// and an id, or neither, is INVALID_REQUEST. The partition logs are removed with the topic
// (Broker.reconcile follows the metadata change).
// Deviations: internal topics (__consumer_offsets) cannot be deleted (INVALID_REQUEST naming
// the topic): the group coordinator depends on them. A deletion is answered once every live
// broker has applied it (REQUEST_TIMED_OUT after timeoutMs, 30 s when it is <= 0), where Kafka
// answers once the controller has committed it (DESIGN.md: read-your-writes across nodes).
// Authorization (--acls): DELETE on the topic, else TOPIC_AUTHORIZATION_FAILED (by id: without
// DESCRIBE the id is UNKNOWN_TOPIC_ID, as Kafka).

import { controllerError } from '../metadata/controller.ts';
import { ADMIN_TIMEOUT_MS } from '../metadata/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { DeleteTopics } from '../protocol/messages/delete-topics.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

type Out = ResponseOf<typeof DeleteTopics>['responses'][number];
const ZERO_UUID = '0'.repeat(32);

export default defineHandler(DeleteTopics, '1-6', async (req, ctx) => {
  const md = ctx.broker.metadata;
  const wanted =
    ctx.apiVersion >= 6 ? req.topics : req.topicNames.map((name) => ({ name: name as string | null, topicId: ZERO_UUID }));
  const timeoutMs = req.timeoutMs > 0 ? req.timeoutMs : ADMIN_TIMEOUT_MS;
  const responses: Out[] = [];
  const done = new Set<string>();
  for (const w of wanted) {
    const byId = w.topicId !== ZERO_UUID;
    const out = (errorCode: number, errorMessage: string | null, name = w.name, topicId = w.topicId): Out => ({
      name,
      topicId,
      errorCode,
      errorMessage,
    });
    if (byId && w.name !== null) {
      responses.push(out(ErrorCode.INVALID_REQUEST, 'Only one of name or topicId may be set'));
      continue;
    }
    const t = byId ? md.topicById(w.topicId) : md.topic(w.name ?? '');
    if (!t) {
      responses.push(
        byId
          ? out(ErrorCode.UNKNOWN_TOPIC_ID, `Topic id ${w.topicId} does not exist`)
          : out(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.'),
      );
      continue;
    }
    if (byId && !allowed(ctx, AclOperation.DESCRIBE, ResourceType.TOPIC, t.name)) {
      responses.push(out(ErrorCode.UNKNOWN_TOPIC_ID, `Topic id ${w.topicId} does not exist`));
      continue;
    }
    if (!allowed(ctx, AclOperation.DELETE, ResourceType.TOPIC, t.name)) {
      responses.push(out(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.', t.name, byId ? t.topicId : w.topicId));
      continue;
    }
    if (t.internal) {
      responses.push(out(ErrorCode.INVALID_REQUEST, `Topic ${t.name} is an internal topic and cannot be deleted`, t.name, t.topicId));
      continue;
    }
    if (!done.has(t.name)) {
      done.add(t.name);
      const failed = await md.deleteTopic(t.name, timeoutMs).then(() => null, controllerError);
      if (failed) {
        responses.push(out(failed.errorCode, failed.errorMessage, t.name, t.topicId));
        continue;
      }
    }
    responses.push(out(ErrorCode.NONE, null, t.name, t.topicId));
  }
  return { throttleTimeMs: 0, responses };
});
