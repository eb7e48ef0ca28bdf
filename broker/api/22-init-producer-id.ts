// InitProducerId (key 22), versions 0-5.
// Behaviour: a producer without a transactional id (an idempotent producer) gets a fresh
// producer id with epoch 0. Ids come from blocks persisted in the data dir, so they are never
// reused after a restart (coordinator/producer-ids.ts). The producerId / producerEpoch fields
// of v3+ are ignored without a transactional id, as Kafka does (@platformatic/kafka sends 0/0
// there, others -1/-1).
// Deviation: transactions are not implemented yet. A request with a transactional id is
// answered UNSUPPORTED_VERSION, which every client treats as a non-retriable error and reports
// as "unsupported" (librdkafka: "Broker: Unsupported version", kafkajs: "The version of API is
// not supported"), instead of a retriable coordinator error that would make it retry until its
// timeout.

import type { Broker } from '../broker.ts';
import { ProducerIdManager } from '../coordinator/producer-ids.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { InitProducerId } from '../protocol/messages/init-producer-id.ts';
import { defineHandler } from './types.ts';

const managers = new WeakMap<Broker, ProducerIdManager>();

export default defineHandler(InitProducerId, '0-5', (req, ctx) => {
  const { broker } = ctx;
  if (req.transactionalId !== null)
    return { throttleTimeMs: 0, errorCode: ErrorCode.UNSUPPORTED_VERSION, producerId: -1, producerEpoch: -1 };
  let ids = managers.get(broker);
  if (!ids) managers.set(broker, (ids = new ProducerIdManager(broker.config.dataDir, broker.config.nodeId)));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: ids.allocate(), producerEpoch: 0 };
});
