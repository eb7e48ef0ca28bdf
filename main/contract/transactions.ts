// Transactions: what each transaction coordinator is running (ListTransactions, then
// DescribeTransactions on the same broker) and, per partition, the producers with state on its
// leader (DescribeProducers): how a user finds a transaction that hangs and what blocks the LSO.
import { z } from 'zod';

export const TransactionSchema = z.object({
  transactionalId: z.string(),
  /** Kafka's state names: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, PrepareEpochFence. */
  state: z.string(),
  producerId: z.number(),
  producerEpoch: z.number(),
  timeoutMs: z.number(),
  /** When the current (or last) transaction started; null before the first one. */
  startTimeMs: z.number().nullable(),
  /** The broker coordinating it. */
  coordinator: z.number(),
  partitions: z.array(z.object({ topic: z.string(), partition: z.number() })),
});
export type Transaction = z.infer<typeof TransactionSchema>;

export const TransactionListSchema = z.object({
  transactions: z.array(TransactionSchema),
  /** Brokers that could not be asked (down, or an old Kafka without these APIs): their transactions are missing. */
  unavailable: z.array(z.object({ brokerId: z.number(), message: z.string() })),
});
export type TransactionList = z.infer<typeof TransactionListSchema>;

export const ProducerStateSchema = z.object({
  producerId: z.number(),
  producerEpoch: z.number(),
  lastSequence: z.number(),
  lastTimestamp: z.number().nullable(),
  coordinatorEpoch: z.number(),
  /** First offset of its open transaction on this partition; null when none is open. */
  currentTxnStartOffset: z.number().nullable(),
});
export type ProducerState = z.infer<typeof ProducerStateSchema>;

export const TopicProducersSchema = z.object({
  topic: z.string(),
  partitions: z.array(
    z.object({
      partition: z.number(),
      leader: z.number(),
      /** Kafka's error name when the leader could not answer. */
      error: z.string().nullable(),
      producers: z.array(ProducerStateSchema),
    }),
  ),
});
export type TopicProducers = z.infer<typeof TopicProducersSchema>;
