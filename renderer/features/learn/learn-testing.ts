// For the headless learn tests: a scenario run start to finish in which every check is first
// seen failing (before the action that should make it pass, or before the action of the step
// before it when the step only asks to watch) and then passing. `user` does, for a step, what
// the step asks the learner to do outside the app (e.g. start consumers), in the learner's place.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startBundledConsole, type BundledConsole } from '../../../main/testing/bundled-console.ts';
import { createCaller, type Call } from '../../api/caller.ts';
import { observe, resetScenario, waitForStep, type LearnContext, type Scenario } from './scenario.ts';

/** A learn test's cluster: a bundled console over a real 3-node cluster, filled in by `before`. */
export interface LearnConsole extends LearnContext {
  bc: BundledConsole;
}

/**
 * Registers the suite's before/after hooks: starts the console with its bundled 3-node cluster
 * and stops it after the suite. The returned object is filled in once `before` has run.
 */
export function learnConsole(): LearnConsole {
  const env: { bc?: BundledConsole; api?: Call; clusterId?: string } = {};
  before(async () => {
    const bc = await startBundledConsole({ nodes: 3 });
    env.bc = bc;
    env.api = createCaller({ baseUrl: `http://127.0.0.1:${bc.server.port}`, token: () => bc.server.token });
    const session = await env.api('session', {});
    assert.ok(session.bundledClusterId);
    env.clusterId = session.bundledClusterId;
  });
  after(async () => {
    await env.bc?.stop();
  });
  const need = <T>(v: T | undefined): T => {
    assert.ok(v !== undefined, 'learnConsole() is used before its before() hook ran');
    return v;
  };
  return {
    get bc() {
      return need(env.bc);
    },
    get api() {
      return need(env.api);
    },
    get clusterId() {
      return need(env.clusterId);
    },
  };
}

export interface StepSeen {
  observed: string;
  /** ms from the start of the step (its action) until its check passed */
  ms: number;
}

export async function runChecked(
  scenario: Scenario,
  ctx: LearnContext,
  opts: { timeoutMs: number; user?: Record<string, () => Promise<void>> },
): Promise<Map<string, StepSeen>> {
  const seen = new Map<string, StepSeen>();
  const acts = (i: number) => !!(scenario.steps[i].action || opts.user?.[scenario.steps[i].id]);
  for (let i = 0; i < scenario.steps.length; i++) {
    const step = scenario.steps[i];
    if (i === 0 || acts(i)) {
      // This step and the watch-only steps after it, up to the next that acts: none is done yet.
      for (let j = i; j < scenario.steps.length && (j === i || !acts(j)); j++) {
        const o = await observe(scenario.steps[j], ctx);
        assert.equal(o.done, false, `${scenario.id}/${scenario.steps[j].id} is done before ${step.id} acted: ${o.observed}`);
      }
    }
    const t0 = Date.now();
    await opts.user?.[step.id]?.();
    await step.action?.run(ctx);
    const o = await waitForStep(step, ctx, { timeoutMs: opts.timeoutMs });
    seen.set(step.id, { observed: o.observed, ms: Date.now() - t0 });
    console.log(`learn ${scenario.id} / ${step.id} (${Date.now() - t0} ms): ${o.observed}`);
  }
  return seen;
}

/** Reset deletes the scenario's own topics and groups and leaves a bystander topic alone. */
export async function assertResetDeletesOnlyOwn(scenario: Scenario, ctx: LearnContext): Promise<void> {
  const { clusterId } = ctx;
  const bystander = `bystander-${scenario.id}`;
  await ctx.api('createTopic', { clusterId }, { name: bystander, partitions: 1, replicationFactor: 1 });
  await resetScenario(scenario, ctx);
  const topics = (await ctx.api('listTopics', { clusterId })).topics.map((t) => t.name);
  for (const t of scenario.creates.topics) assert.ok(!topics.includes(t), `${t} still there after reset: ${topics.join()}`);
  assert.ok(topics.includes(bystander), `reset deleted ${bystander}`);
  const groups = (await ctx.api('listGroups', { clusterId })).groups.map((g) => g.groupId);
  for (const g of scenario.creates.groups) assert.ok(!groups.includes(g), `group ${g} still there after reset`);
  await ctx.api('deleteTopic', { clusterId, topic: bystander });
  assert.equal((await observe(scenario.steps[0], ctx)).done, false, 'after reset the scenario starts over');
}
