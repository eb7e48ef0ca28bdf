// Browsing and producing records. Bytes travel as base64 so nothing is lost (binary keys, Avro,
// protobuf); the renderer decides how to show them (string, JSON, hex, base64).
import { z } from 'zod';

export const HeaderSchema = z.object({ key: z.string(), value: z.string().nullable() });

export const IsolationSchema = z.enum(['read_uncommitted', 'read_committed']);
export type Isolation = z.infer<typeof IsolationSchema>;

export const KafkaMessageSchema = z.object({
  partition: z.number(),
  offset: z.number(),
  /** Milliseconds since the epoch, as stored in the record. */
  timestamp: z.number(),
  /** base64 of the key bytes; null for a null key. */
  key: z.string().nullable(),
  /** base64 of the value bytes (possibly cut, see valueTruncated); null for a tombstone. */
  value: z.string().nullable(),
  keySize: z.number(),
  valueSize: z.number(),
  valueTruncated: z.boolean(),
  /** header values as base64; keys are UTF-8 per Kafka. */
  headers: z.array(HeaderSchema),
  /** Written in a transaction. */
  transactional: z.boolean(),
  /** A transaction marker (shown only when asked for): its type. */
  control: z.enum(['COMMIT', 'ABORT']).nullable(),
});
export type KafkaMessage = z.infer<typeof KafkaMessageSchema>;

export const SeekSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('earliest') }),
  z.object({ mode: z.literal('latest') }),
  z.object({ mode: z.literal('offset'), offset: z.number().int().min(0) }),
  z.object({ mode: z.literal('timestamp'), timestamp: z.number().int().min(0) }),
]);
export type Seek = z.infer<typeof SeekSchema>;

/** Which records a browse keeps (message-filter.ts matches them); every part given must match. */
export const MessageFilterSchema = z
  .object({
    /** Text the key, the value or a header contains, ignoring case. */
    text: z.string().max(1000, 'The filter text is at most 1000 characters').default(''),
    /** Fields of a JSON value and the value each must have, compared as text ignoring case; a dotted path reaches into nested objects. */
    fields: z
      .array(z.object({ path: z.string().min(1, 'A field filter needs a field name').max(200), equals: z.string().max(1000) }))
      .max(20, 'At most 20 field filters')
      .default([]),
  })
  .strict();
export type MessageFilter = z.input<typeof MessageFilterSchema>;

export const BrowseRequestSchema = z.object({
  /** null = all partitions, merged by timestamp. */
  partition: z.number().int().min(0).nullable().default(null),
  seek: SeekSchema.default({ mode: 'latest' }),
  limit: z.number().int().min(1).max(5000).default(100),
  /** Values longer than this are cut; ask again with a larger limit to see all of one. */
  maxValueBytes: z.number().int().min(16).max(16 * 1024 * 1024).default(256 * 1024),
  /** As a Kafka consumer's isolation.level: read_committed stops at the last stable offset and skips aborted transactions. */
  isolation: IsolationSchema.default('read_uncommitted'),
  /** Include the transaction markers (control records). */
  showControl: z.boolean().default(false),
  /** Keep only the records that match, reading on from the seek point (browse.ts says how far). */
  filter: MessageFilterSchema.nullable().default(null),
});
export type BrowseRequest = z.input<typeof BrowseRequestSchema>;

export const PartitionRangeSchema = z.object({
  partition: z.number(),
  startOffset: z.number(),
  endOffset: z.number(),
});

export const BrowseResponseSchema = z.object({
  messages: z.array(KafkaMessageSchema),
  partitions: z.array(PartitionRangeSchema),
  /** With a filter: how many records were read to find these. */
  scanned: z.number().optional(),
});
export type BrowseResponse = z.infer<typeof BrowseResponseSchema>;

export const PayloadEncodingSchema = z.enum(['utf8', 'base64', 'hex']);
export type PayloadEncoding = z.infer<typeof PayloadEncodingSchema>;

export const ProduceRequestSchema = z.object({
  key: z.string().nullable().default(null),
  value: z.string().nullable().default(null),
  keyEncoding: PayloadEncodingSchema.default('utf8'),
  valueEncoding: PayloadEncodingSchema.default('utf8'),
  headers: z.array(z.object({ key: z.string().min(1, 'Header key is required'), value: z.string() })).default([]),
  partition: z.number().int().min(0).nullable().default(null),
  repeat: z.number().int().min(1).max(100000).default(1),
});
export type ProduceRequest = z.input<typeof ProduceRequestSchema>;

export const ProduceResponseSchema = z.object({
  count: z.number(),
  /** Where the records landed, first offset per partition. */
  partitions: z.array(z.object({ partition: z.number(), firstOffset: z.number() })),
});
export type ProduceResponse = z.infer<typeof ProduceResponseSchema>;
