// Event sourcing: a bank keeps every change of its accounts as an event in learn.bank-events,
// keyed by account (so one account's events stay in order in one partition), and its live
// state, each account's current balance, in the compacted topic learn.bank-balances, updated
// after every event as the bank's service would. The checks replay learn.bank-events from the
// earliest offset, add up each account's amounts in order, and compare the rebuilt balances with
// the live ones read back from learn.bank-balances (the latest value per key): equal, before and
// after more events arrive. Amounts are whole cents.
import type { LearnContext, Observation, Scenario } from '../scenario.ts';
import { decodeText, produceEach, readFromEarliest, topicReady } from './common.ts';

export const EVENTS_TOPIC = 'learn.bank-events';
export const BALANCES_TOPIC = 'learn.bank-balances';
const PARTITIONS = 3;

interface AccountEvent {
  id: number;
  account: string;
  type: 'opened' | 'deposit' | 'withdrawal' | 'fee';
  amountCents: number;
}
const ev = (id: number, account: string, type: AccountEvent['type'], amountCents: number): AccountEvent => ({ id, account, type, amountCents });
export const FIRST_EVENTS: AccountEvent[] = [
  ev(1, 'acct-1', 'opened', 0),
  ev(2, 'acct-2', 'opened', 0),
  ev(3, 'acct-1', 'deposit', 10_000),
  ev(4, 'acct-3', 'opened', 0),
  ev(5, 'acct-2', 'deposit', 25_000),
  ev(6, 'acct-1', 'withdrawal', -2_500),
  ev(7, 'acct-3', 'deposit', 4_000),
  ev(8, 'acct-2', 'withdrawal', -12_000),
  ev(9, 'acct-1', 'fee', -150),
  ev(10, 'acct-3', 'withdrawal', -1_000),
  ev(11, 'acct-2', 'fee', -150),
  ev(12, 'acct-1', 'deposit', 700),
];
export const MORE_EVENTS: AccountEvent[] = [ev(13, 'acct-3', 'withdrawal', -5_000), ev(14, 'acct-3', 'fee', -150), ev(15, 'acct-2', 'deposit', 1_000)];
const ALL = FIRST_EVENTS.length + MORE_EVENTS.length;

const euros = (cents: number) => `${(cents / 100).toFixed(2)} EUR`;
const show = (b: Map<string, number>) =>
  [...b]
    .sort(([a], [c]) => a.localeCompare(c))
    .map(([k, v]) => `${k} ${euros(v)}`)
    .join(', ') || 'none';
const same = (a: Map<string, number>, b: Map<string, number>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** What the bank's service does for each event: append it, then write the account's new balance. */
async function record(ctx: LearnContext, events: AccountEvent[]): Promise<void> {
  const live = await liveBalances(ctx);
  for (const e of events) {
    await produceEach(ctx, EVENTS_TOPIC, [{ key: e.account, value: JSON.stringify(e) }]);
    const balanceCents = (live.get(e.account) ?? 0) + e.amountCents;
    live.set(e.account, balanceCents);
    await produceEach(ctx, BALANCES_TOPIC, [{ key: e.account, value: JSON.stringify({ account: e.account, balanceCents, afterEvent: e.id }) }]);
  }
}

/** The events in learn.bank-events, partition by partition in offset order (a fresh replay from the earliest offset). */
async function replay(ctx: LearnContext): Promise<(AccountEvent & { partition: number; offset: number })[]> {
  const out: (AccountEvent & { partition: number; offset: number })[] = [];
  for (const m of await readFromEarliest(ctx, EVENTS_TOPIC)) {
    const v: unknown = JSON.parse(decodeText(m.value) ?? 'null');
    if (typeof v !== 'object' || v === null || !('account' in v) || !('amountCents' in v) || !('id' in v)) continue;
    const { account, amountCents, id } = v;
    const type = 'type' in v ? v.type : 'deposit';
    if (typeof account === 'string' && typeof amountCents === 'number' && typeof id === 'number' && (type === 'opened' || type === 'deposit' || type === 'withdrawal' || type === 'fee'))
      out.push({ id, account, type, amountCents, partition: m.partition, offset: m.offset });
  }
  return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
function fold(events: AccountEvent[]): Map<string, number> {
  const b = new Map<string, number>();
  for (const e of events) b.set(e.account, (b.get(e.account) ?? 0) + e.amountCents);
  return b;
}
/** The live state: the latest balance per account in learn.bank-balances. */
async function liveBalances(ctx: LearnContext): Promise<Map<string, number>> {
  const b = new Map<string, number>();
  const { topics } = await ctx.api('listTopics', { clusterId: ctx.clusterId });
  if (!topics.some((t) => t.name === BALANCES_TOPIC)) return b;
  const ms = (await readFromEarliest(ctx, BALANCES_TOPIC)).sort((x, y) => x.partition - y.partition || x.offset - y.offset);
  for (const m of ms) {
    const v: unknown = JSON.parse(decodeText(m.value) ?? 'null');
    const key = decodeText(m.key);
    if (key && typeof v === 'object' && v !== null && 'balanceCents' in v && typeof v.balanceCents === 'number') b.set(key, v.balanceCents);
  }
  return b;
}

/** Done when the replay holds at least `events` events and rebuilds exactly the live balances. */
async function rebuiltEqualsLive(ctx: LearnContext, events: number): Promise<Observation> {
  const ready = await topicReady(ctx, EVENTS_TOPIC, PARTITIONS);
  if (!ready.done) return ready;
  const replayed = await replay(ctx);
  const rebuilt = fold(replayed);
  const live = await liveBalances(ctx);
  const head = `Replayed ${replayed.length} event(s) from the earliest offset: ${show(rebuilt)}; learn.bank-balances holds ${show(live)}`;
  if (replayed.length < events) return { done: false, observed: `${head}; waiting for ${events} events.` };
  return same(rebuilt, live) ? { done: true, observed: `${head}: equal.` } : { done: false, observed: `${head}: not equal.` };
}

export const eventSourcing: Scenario = {
  id: 'event-sourcing',
  title: 'Event sourcing',
  concept: 'Event sourcing keeps every change as an event in a topic; the current state is whatever replaying the events from the earliest offset gives, so it can always be rebuilt.',
  creates: { topics: [EVENTS_TOPIC, BALANCES_TOPIC], groups: [] },
  steps: [
    {
      id: 'create-topics',
      title: 'An event log and a state topic',
      text: `Let the app create ${EVENTS_TOPIC} with 3 partitions for the account events, and ${BALANCES_TOPIC} with cleanup.policy=compact for the current balance of each account. A compacted topic keeps at least the latest value per key, which is all a state needs.`,
      target: { screen: '/topics', name: 'create-topic' },
      action: {
        label: 'Create both topics',
        run: async (ctx) => {
          const { clusterId } = ctx;
          await ctx.api('createTopic', { clusterId }, { name: EVENTS_TOPIC, partitions: PARTITIONS, replicationFactor: 3 });
          await ctx.api('createTopic', { clusterId }, { name: BALANCES_TOPIC, partitions: PARTITIONS, replicationFactor: 3, configs: { 'cleanup.policy': 'compact' } });
        },
      },
      check: async (ctx) => {
        for (const t of [EVENTS_TOPIC, BALANCES_TOPIC]) {
          const ready = await topicReady(ctx, t, PARTITIONS);
          if (!ready.done) return ready;
        }
        const { configs } = await ctx.api('topicConfigs', { clusterId: ctx.clusterId, topic: BALANCES_TOPIC });
        const policy = configs.find((c) => c.name === 'cleanup.policy')?.value ?? 'unset';
        return { done: policy === 'compact', observed: `${EVENTS_TOPIC} and ${BALANCES_TOPIC} have ${PARTITIONS} partitions; ${BALANCES_TOPIC} has cleanup.policy=${policy}.` };
      },
    },
    {
      id: 'record-events',
      title: `${FIRST_EVENTS.length} account events`,
      text: `Let the app play the bank: it appends ${FIRST_EVENTS.length} events (accounts opened, deposits, withdrawals, fees) keyed by account, and after each one writes the account's new balance to ${BALANCES_TOPIC}. The key keeps each account's events in one partition, in the order they happened.`,
      target: { screen: `/topics/${encodeURIComponent(EVENTS_TOPIC)}?tab=messages`, name: 'topic-tab:messages' },
      action: { label: `Record ${FIRST_EVENTS.length} events`, run: (ctx) => record(ctx, FIRST_EVENTS) },
      check: async (ctx) => {
        const replayed = await replay(ctx);
        const ids = new Set(replayed.map((e) => e.id));
        const accounts = [...new Set(replayed.map((e) => e.account))].sort();
        const where = accounts.map((a) => {
          const mine = replayed.filter((e) => e.account === a);
          const parts = [...new Set(mine.map((e) => e.partition))];
          const ordered = mine.every((e, i) => i === 0 || e.id > mine[i - 1].id);
          return { a, ok: parts.length === 1 && ordered, text: `${a} → partition ${parts.join(' and ')} (${mine.length} events${ordered ? ', in order' : ', out of order'})` };
        });
        const all = FIRST_EVENTS.every((e) => ids.has(e.id));
        return { done: all && where.every((w) => w.ok), observed: `${replayed.length} event(s) in ${EVENTS_TOPIC}: ${where.map((w) => w.text).join(', ') || 'none'}.` };
      },
    },
    {
      id: 'rebuild',
      title: 'Replay the events: the balances come back',
      text: `Open the “Messages” tab of ${EVENTS_TOPIC}, choose “Earliest” and click “Load”: that is the whole history. Adding up each account's amounts in offset order rebuilds every balance, and it equals what ${BALANCES_TOPIC} holds.`,
      target: { screen: `/topics/${encodeURIComponent(EVENTS_TOPIC)}?tab=messages`, name: 'topic-tab:messages' },
      action: null,
      check: (ctx) => rebuiltEqualsLive(ctx, FIRST_EVENTS.length),
    },
    {
      id: 'more-events',
      title: 'New events, new state',
      text: `Let the app record ${MORE_EVENTS.length} more events: acct-3 withdraws more than it has and pays a fee, acct-2 gets a deposit. The events are only appended, never changed, and replaying all ${ALL} of them again gives the new balances, acct-3 overdrawn.`,
      target: { screen: `/topics/${encodeURIComponent(BALANCES_TOPIC)}?tab=messages`, name: 'topic-tab:messages' },
      action: { label: `Record ${MORE_EVENTS.length} more`, run: (ctx) => record(ctx, MORE_EVENTS) },
      check: (ctx) => rebuiltEqualsLive(ctx, ALL),
    },
  ],
};
