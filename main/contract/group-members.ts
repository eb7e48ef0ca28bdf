// Group members (issue "learn mode", the consumer groups scenario): the console runs N consumers
// of a named consumer group on a topic, so a learner can watch a group split partitions without
// starting consumers in a terminal. Setting the count joins new members or makes the newest
// leave; each member says which partitions the coordinator assigned it and how many records it
// read. The members are real Kafka consumers (the console server's @platformatic/kafka client),
// they start where the group committed (earliest without a commit) and commit what they read.
import { z } from 'zod';

/** Most members the console runs in one group: a few more than the partitions of a learning topic. */
export const GROUP_MEMBERS_MAX = 8;

export const GroupMembersSetSchema = z
  .object({
    group: z.string().trim().min(1, 'A group id is needed'),
    topic: z.string().trim().min(1, 'A topic is needed'),
    count: z
      .number()
      .int('The member count is a whole number')
      .min(0, 'The member count is at least 0')
      .max(GROUP_MEMBERS_MAX, `The console runs at most ${GROUP_MEMBERS_MAX} members in a group`),
    /** Joining a group of a cluster that is not the bundled one needs this, after the user was warned. */
    confirmRemote: z.boolean().default(false),
  })
  .strict();
export type GroupMembersSet = z.input<typeof GroupMembersSetSchema>;

export const GroupMemberStatsSchema = z.object({
  /** member-1, member-2, ...: the lowest number free when it joined. */
  name: z.string(),
  /** The client id it joined with (what the group's Members table shows). */
  clientId: z.string(),
  /** The member id the coordinator gave it; null until it joined. */
  memberId: z.string().nullable(),
  state: z.enum(['joining', 'member', 'leaving']),
  /** The partitions of the topic it was assigned in the current generation, as the client knows them. */
  partitions: z.array(z.number().int()),
  /** Records it read since it joined, and per second over the last few seconds. */
  consumed: z.number().int(),
  consumedPerSec: z.number(),
  /** Records it read since the group's last rebalance (in the current generation): 0 for a member without partitions. */
  consumedThisGeneration: z.number().int(),
});
export type GroupMemberStats = z.infer<typeof GroupMemberStatsSchema>;

export const GroupMembersStatsSchema = z.object({
  group: z.string(),
  /** The topic the members read; null when the console runs none in this group. */
  topic: z.string().nullable(),
  members: z.array(GroupMemberStatsSchema),
  /** The latest trouble, in the client's words; null when none. */
  lastError: z.string().nullable(),
});
export type GroupMembersStats = z.infer<typeof GroupMembersStatsSchema>;

export const GroupMembersListSchema = z.object({ groups: z.array(GroupMembersStatsSchema) });
export type GroupMembersList = z.infer<typeof GroupMembersListSchema>;
