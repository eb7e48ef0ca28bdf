// The learn mode's engine: a scenario is data (title, concept, steps with their text and the
// element they talk about) plus small step functions. Every function takes a LearnContext whose
// `api` is the contract-typed console client, so the very same functions run in the Learn panel
// and headless in tests. A step's check observes the real cluster through the console's API and
// says what it saw; nothing turns green that the cluster does not show.
import type { Call } from '../../api/caller.ts';

export interface LearnContext {
  api: Call;
  clusterId: string;
}

/** What a check saw: `done` turns the step green; `observed` says what was seen, in plain words. */
export interface Observation {
  done: boolean;
  observed: string;
}

export interface StepTarget {
  /** The screen (path, optionally with ?tab=) where the element is. */
  screen: string;
  /** The element's data-learn-target name (a word of the attribute, so one element may carry several). */
  name: string;
}

export interface Step {
  id: string;
  title: string;
  /** 2–4 sentences, plain words, Kafka's real terms; a UI element it names is quoted “like this”. */
  text: string;
  target: StepTarget | null;
  /** What the app does for the user ("Do it for me"); null when the step only asks to watch. */
  action: { label: string; run(ctx: LearnContext): Promise<void> } | null;
  check(ctx: LearnContext): Promise<Observation>;
}

export interface Scenario {
  id: string;
  title: string;
  /** One or two sentences: the Kafka idea this scenario shows. */
  concept: string;
  /** What reset deletes: only the topics (all named `learn.…`) and groups this scenario creates. */
  creates: { topics: string[]; groups: string[] };
  steps: Step[];
  /** Undoes what the scenario did besides creating topics and groups (e.g. stops a workload). */
  cleanup?(ctx: LearnContext): Promise<void>;
}

export const LEARN_PREFIX = 'learn.';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A check that throws (console unreachable, topic not there yet) is simply not done yet. */
export async function observe(step: Step, ctx: LearnContext): Promise<Observation> {
  try {
    return await step.check(ctx);
  } catch (e) {
    return { done: false, observed: messageOf(e) };
  }
}

/** Polls the step's check until it is done; throws with the last observation after `timeoutMs`. */
export async function waitForStep(step: Step, ctx: LearnContext, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<Observation> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    const o = await observe(step, ctx);
    if (o.done) return o;
    if (Date.now() > deadline) throw new Error(`step "${step.title}" not done after ${opts.timeoutMs ?? 60_000} ms; last seen: ${o.observed}`);
    await sleep(opts.intervalMs ?? 500);
  }
}

/** Every step in order, the app doing each action: the headless run of a scenario. */
export async function runScenario(
  scenario: Scenario,
  ctx: LearnContext,
  opts: { timeoutMs?: number; onStep?: (step: Step, o: Observation) => void } = {},
): Promise<void> {
  for (const step of scenario.steps) {
    await step.action?.run(ctx);
    opts.onStep?.(step, await waitForStep(step, ctx, { timeoutMs: opts.timeoutMs }));
  }
}

/** Cleans up, then deletes the scenario's own topics and groups where they exist; nothing else. */
export async function resetScenario(scenario: Scenario, ctx: LearnContext): Promise<void> {
  for (const t of scenario.creates.topics) if (!t.startsWith(LEARN_PREFIX)) throw new Error(`scenario ${scenario.id} may only create ${LEARN_PREFIX}* topics, not ${t}`);
  await scenario.cleanup?.(ctx);
  const { clusterId } = ctx;
  if (scenario.creates.topics.length) {
    const existing = new Set((await ctx.api('listTopics', { clusterId })).topics.map((t) => t.name));
    for (const topic of scenario.creates.topics) if (existing.has(topic)) await ctx.api('deleteTopic', { clusterId, topic });
  }
  if (scenario.creates.groups.length) {
    const existing = new Set((await ctx.api('listGroups', { clusterId })).groups.map((g) => g.groupId));
    for (const groupId of scenario.creates.groups) if (existing.has(groupId)) await ctx.api('deleteGroup', { clusterId, groupId });
  }
}
