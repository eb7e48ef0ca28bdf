// Consumer groups: state, members, committed offsets and lag, and offset resets with a preview
// so a user sees exactly what will move before it moves.
import { z } from 'zod';

export const GroupSummarySchema = z.object({
  groupId: z.string(),
  state: z.string(),
  protocolType: z.string(),
  members: z.number(),
  topics: z.array(z.string()),
  /** Sum of lag over committed partitions; null when offsets could not be read. */
  lag: z.number().nullable(),
});
export type GroupSummary = z.infer<typeof GroupSummarySchema>;

export const GroupListSchema = z.object({ groups: z.array(GroupSummarySchema) });
export type GroupList = z.infer<typeof GroupListSchema>;

export const GroupMemberSchema = z.object({
  memberId: z.string(),
  clientId: z.string(),
  host: z.string(),
  groupInstanceId: z.string().nullable(),
  assignments: z.array(z.object({ topic: z.string(), partitions: z.array(z.number()) })),
});

export const GroupOffsetSchema = z.object({
  topic: z.string(),
  partition: z.number(),
  committed: z.number().nullable(),
  endOffset: z.number().nullable(),
  lag: z.number().nullable(),
  memberId: z.string().nullable(),
});
export type GroupOffset = z.infer<typeof GroupOffsetSchema>;

export const GroupDetailSchema = z.object({
  groupId: z.string(),
  state: z.string(),
  protocolType: z.string(),
  protocol: z.string(),
  members: z.array(GroupMemberSchema),
  offsets: z.array(GroupOffsetSchema),
});
export type GroupDetail = z.infer<typeof GroupDetailSchema>;

export const ResetOffsetsRequestSchema = z
  .object({
    /** null = every topic the group has committed offsets for. */
    topic: z.string().min(1).nullable().default(null),
    strategy: z.enum(['earliest', 'latest', 'timestamp', 'offset']),
    timestamp: z.number().int().min(0).optional(),
    offset: z.number().int().min(0).optional(),
    /** true = only compute the preview. */
    dryRun: z.boolean().default(true),
  })
  .refine((r) => r.strategy !== 'timestamp' || r.timestamp !== undefined, {
    message: 'timestamp is required for strategy "timestamp"',
    path: ['timestamp'],
  })
  .refine((r) => r.strategy !== 'offset' || r.offset !== undefined, {
    message: 'offset is required for strategy "offset"',
    path: ['offset'],
  });
export type ResetOffsetsRequest = z.input<typeof ResetOffsetsRequestSchema>;

export const ResetOffsetsResponseSchema = z.object({
  applied: z.boolean(),
  changes: z.array(
    z.object({ topic: z.string(), partition: z.number(), current: z.number().nullable(), target: z.number() }),
  ),
});
export type ResetOffsetsResponse = z.infer<typeof ResetOffsetsResponseSchema>;
