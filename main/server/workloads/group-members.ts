// Consumers the console runs in a named group (contract/group-members.ts), for the consumer
// groups scenario and the group screen's "Members run by the console": set(count) joins new
// members (all at once, so the coordinator rebalances once for them) or makes the newest ones
// leave, each through GroupReader (the same member the workload runner's stages are). Changes
// to one group run one after the other. Members start at the group's committed offsets, or at
// the earliest offset where there is none (as a console consumer's --from-beginning), and
// commit after each fetch. Joining a group of a cluster other than the bundled one needs
// `confirmRemote`. stopAll (console shutdown) and stopCluster (cluster removed) make all leave.
// Deviation from a Kafka application: every member lives in the console server's process, so
// killing that process ends them all at once (the coordinator then removes them when their
// 10 s session times out).
import type { GroupMemberStats, GroupMembersSet, GroupMembersStats } from '../../contract/group-members.ts';
import type { KafkaConnection } from '../../kafka/connection.ts';
import { ConsoleError, toErrorBody } from '../../kafka/errors.ts';
import { GroupReader } from './group-reader.ts';
import { RateMeter } from './rate-meter.ts';

export interface GroupMembersDeps {
  connection(clusterId: string): KafkaConnection;
  log?: (line: string) => void;
}

interface Member {
  n: number;
  clientId: string;
  state: GroupMemberStats['state'];
  reader: GroupReader | null;
  consumed: number;
  rate: RateMeter;
  /** Records read in `generation` (the group generation of the last record read). */
  inGeneration: { generation: number; count: number };
}

interface Team {
  clusterId: string;
  group: string;
  topic: string | null;
  members: Member[];
  lastError: string | null;
  /** The changes to this group, one after the other. */
  changing: Promise<unknown>;
}

const key = (clusterId: string, group: string) => `${clusterId}\u0000${group}`;
const messageOf = (e: unknown) => toErrorBody(e).body.error.message;

export class GroupMembers {
  readonly #teams = new Map<string, Team>();

  constructor(private readonly deps: GroupMembersDeps) {}

  /** The groups of this cluster in which the console runs (or ran) members. */
  list(clusterId: string): GroupMembersStats[] {
    return [...this.#teams.values()].filter((t) => t.clusterId === clusterId).map((t) => this.#stats(t));
  }

  /** Makes the console run `count` members of the group on the topic; answers once they joined or left. */
  async set(clusterId: string, req: Required<GroupMembersSet>): Promise<GroupMembersStats> {
    const conn = this.deps.connection(clusterId);
    if (!conn.config.bundled && !req.confirmRemote && req.count > 0)
      throw new ConsoleError(
        'CONFIRM_REMOTE',
        `"${conn.config.name}" is not the bundled cluster: the members would join group ${req.group} there and commit offsets for ${req.topic}. Confirm to start them anyway.`,
        409,
      );
    const k = key(clusterId, req.group);
    let team = this.#teams.get(k);
    if (!team) {
      team = { clusterId, group: req.group, topic: null, members: [], lastError: null, changing: Promise.resolve() };
      this.#teams.set(k, team);
    }
    const t = team;
    const change = t.changing.then(() => this.#change(conn, t, req));
    t.changing = change.catch(() => {});
    await change;
    return this.#stats(t);
  }

  /** Every member of every group leaves (console shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#teams.values()].map((t) => this.#setCount(t, 0)));
  }

  /** The members of one cluster leave and its groups are forgotten (it is being removed). */
  async stopCluster(clusterId: string): Promise<void> {
    const teams = [...this.#teams.entries()].filter(([, t]) => t.clusterId === clusterId);
    await Promise.all(teams.map(([, t]) => this.#setCount(t, 0)));
    for (const [k] of teams) this.#teams.delete(k);
  }

  #setCount(t: Team, count: number): Promise<void> {
    const conn = this.deps.connection(t.clusterId);
    const change = t.changing.then(() => (t.topic === null ? undefined : this.#change(conn, t, { group: t.group, topic: t.topic, count, confirmRemote: true })));
    t.changing = change.catch(() => {});
    return change.catch(() => {});
  }

  async #change(conn: KafkaConnection, t: Team, req: Required<GroupMembersSet>): Promise<void> {
    if (t.members.length > 0 && t.topic !== req.topic)
      throw new ConsoleError('INVALID_STATE', `The console's members of ${t.group} read ${t.topic}; set their count to 0 before they read ${req.topic}.`, 409);
    if (req.count > t.members.length && !(await conn.clusterView([req.topic])).topics.has(req.topic))
      throw new ConsoleError('NOT_FOUND', `There is no topic ${req.topic} for the members of ${t.group} to read.`, 404);
    t.topic = req.topic;
    const leaving = [...t.members].sort((a, b) => b.n - a.n).slice(0, Math.max(0, t.members.length - req.count));
    const joining: Member[] = [];
    for (let i = t.members.length; i < req.count; i++) {
      const used = new Set([...t.members, ...joining].map((m) => m.n));
      let n = 1;
      while (used.has(n)) n++;
      joining.push({ n, clientId: `samsa-learn-member-${n}`, state: 'joining', reader: null, consumed: 0, rate: new RateMeter(), inGeneration: { generation: -1, count: 0 } });
    }
    t.members.push(...joining);
    t.members.sort((a, b) => a.n - b.n);
    await Promise.all([...leaving.map((m) => this.#leave(t, m)), ...joining.map((m) => this.#join(conn, t, m, req.topic))]);
    if (t.members.length === 0) t.topic = null;
    this.deps.log?.(`group members of ${t.group} on ${conn.config.name}: ${t.members.length} (${joining.length} joined, ${leaving.length} left)`);
  }

  async #join(conn: KafkaConnection, t: Team, m: Member, topic: string): Promise<void> {
    try {
      m.reader = await GroupReader.join(conn.config, {
        clientId: m.clientId,
        group: t.group,
        topic,
        fallback: 'earliest',
        onRecord: () => {
          m.consumed++;
          m.rate.add(1);
          const generation = m.reader?.generation ?? -1;
          if (m.inGeneration.generation !== generation) m.inGeneration = { generation, count: 0 };
          m.inGeneration.count++;
        },
        onError: (e) => (t.lastError = `${m.clientId}: ${messageOf(e)}`),
      });
      m.state = 'member';
    } catch (e) {
      t.lastError = `${m.clientId} could not join: ${messageOf(e)}`;
      t.members = t.members.filter((x) => x !== m);
      throw e;
    }
  }

  async #leave(t: Team, m: Member): Promise<void> {
    m.state = 'leaving';
    await m.reader?.leave((e) => (t.lastError = `${m.clientId}: ${messageOf(e)}`));
    t.members = t.members.filter((x) => x !== m);
  }

  #stats(t: Team): GroupMembersStats {
    const now = Date.now();
    return {
      group: t.group,
      topic: t.topic,
      members: t.members.map((m) => ({
        name: `member-${m.n}`,
        clientId: m.clientId,
        memberId: m.reader?.memberId ?? null,
        state: m.state,
        partitions: m.reader && t.topic ? m.reader.partitions(t.topic) : [],
        consumed: m.consumed,
        consumedPerSec: m.rate.perSecond(now),
        consumedThisGeneration: m.reader && m.reader.generation === m.inGeneration.generation ? m.inGeneration.count : 0,
      })),
      lastError: t.lastError,
    };
  }
}
