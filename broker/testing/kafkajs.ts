// kafkajs round trips for tests: what a kafkajs user does first on a (secured) cluster.

import type { Kafka } from 'kafkajs';
import { until } from './wait.ts';

/** Produces `values` to `topic`, then consumes it from the beginning in group `groupId` until as many arrive; returns what arrived. */
export async function kafkajsRoundTrip(kafka: Kafka, topic: string, groupId: string, values: string[]): Promise<string[]> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void got.push(message.value?.toString() ?? '') });
    await until(`${values.length} messages`, async () => got.length >= values.length, 30000);
    return got;
  } finally {
    await consumer.disconnect(); // also when the messages never come: no consumer left polling a stopping cluster
  }
}
