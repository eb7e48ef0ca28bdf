// The Learn panel, beside the real screens: pick a scenario, follow its steps. The current step
// says what to do, highlights the element it talks about, can be done by the app ("do it for
// me"), and turns green only when its check sees the result on the cluster; what the check saw
// is shown as it polls. Progress is kept per scenario; reset deletes what the scenario created.
import { useEffect, useMemo, useState } from 'react';
import { call } from '../../api/client.ts';
import { ErrorView } from '../../components/error-view.tsx';
import { navigate, useLocation } from '../../router.tsx';
import { useLearnStore } from '../../stores/learn-store.ts';
import { observe, resetScenario, type LearnContext, type Observation, type Scenario, type Step } from './scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { useHighlight } from './use-highlight.ts';

const CHECK_EVERY_MS = 1000;

/** Polls the step's check while it is the current one; a passing check marks it done. */
function useCheck(scenario: Scenario, step: Step | undefined, ctx: LearnContext): Observation | null {
  const markDone = useLearnStore((s) => s.markDone);
  const [seen, setSeen] = useState<{ stepId: string; o: Observation } | null>(null);
  useEffect(() => {
    if (!step) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const o = await observe(step, ctx);
      if (stopped) return;
      setSeen({ stepId: step.id, o });
      if (o.done) markDone(scenario.id, step.id);
      else timer = setTimeout(() => void tick(), CHECK_EVERY_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [scenario.id, step, ctx, markDone]);
  return seen && seen.stepId === step?.id ? seen.o : null;
}

function CurrentStep({ step, observation, ctx }: { step: Step; observation: Observation | null; ctx: LearnContext }) {
  const { pathname, search } = useLocation();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const here = step.target && `${pathname}${search.size ? `?${search}` : ''}` === step.target.screen;
  const act = async () => {
    if (!step.action) return;
    setPending(true);
    setError(null);
    try {
      await step.action.run(ctx);
      if (step.target && !here) navigate(step.target.screen);
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="learn-current">
      <p>{step.text}</p>
      <div className="actions">
        {step.target && !here && <button onClick={() => navigate(step.target!.screen)}>Show me</button>}
        {step.action && (
          <button className="primary" disabled={pending} onClick={() => void act()} data-testid="learn-do-it">
            {pending ? 'Working…' : `Do it for me: ${step.action.label}`}
          </button>
        )}
      </div>
      <ErrorView error={error} title="The step's action failed" />
      <p className="muted small" role="status" data-testid="learn-observed">
        {observation ? `Seen on the cluster: ${observation.observed}` : 'Looking at the cluster…'}
      </p>
    </div>
  );
}

function ScenarioView({ scenario, ctx }: { scenario: Scenario; ctx: LearnContext }) {
  const { done, select, clear } = useLearnStore();
  const doneIds = useMemo(() => new Set(done[scenario.id] ?? []), [done, scenario.id]);
  const current = scenario.steps.find((s) => !doneIds.has(s.id));
  const observation = useCheck(scenario, current, ctx);
  const [resetting, setResetting] = useState(false);
  const [resetError, setResetError] = useState<unknown>(null);
  useHighlight(current?.target?.name ?? null);

  const reset = async () => {
    setResetting(true);
    setResetError(null);
    try {
      await resetScenario(scenario, ctx);
      clear(scenario.id);
    } catch (e) {
      setResetError(e);
    } finally {
      setResetting(false);
    }
  };

  return (
    <section aria-label={`Scenario ${scenario.title}`} data-testid="learn-scenario" data-scenario={scenario.id} data-complete={current ? 'false' : 'true'}>
      <button className="link" onClick={() => select(null)}>
        ← All scenarios
      </button>
      <h2>{scenario.title}</h2>
      <p className="muted">{scenario.concept}</p>
      <ol className="learn-steps">
        {scenario.steps.map((s, i) => {
          const st = doneIds.has(s.id) ? 'done' : s === current ? 'current' : 'todo';
          return (
            <li key={s.id} className={`learn-step ${st}`} data-testid="learn-step" data-step={s.id} data-state={st} aria-current={st === 'current' ? 'step' : undefined}>
              <div className="learn-step-title">
                <span className="learn-step-mark" aria-hidden>
                  {st === 'done' ? '✓' : i + 1}
                </span>
                {s.title}
                {st === 'done' && <span className="visually-hidden"> (done)</span>}
              </div>
              {st === 'current' && <CurrentStep step={s} observation={observation} ctx={ctx} />}
            </li>
          );
        })}
      </ol>
      {!current && (
        <p className="learn-complete" role="status">
          Scenario complete: every step was seen on the cluster.
        </p>
      )}
      <div className="actions">
        <button disabled={resetting} onClick={() => void reset()} title="Deletes the topics and groups this scenario created, and undoes its changes">
          {resetting ? 'Resetting…' : 'Reset scenario'}
        </button>
      </div>
      <ErrorView error={resetError} title="Reset failed" />
    </section>
  );
}

export function LearnPanel({ clusterId }: { clusterId: string }) {
  const { scenarioId, select, setOpen, done } = useLearnStore();
  const ctx = useMemo<LearnContext>(() => ({ api: call, clusterId }), [clusterId]);
  const scenario = SCENARIOS.find((s) => s.id === scenarioId);
  return (
    <aside className="learn-panel" aria-label="Learn">
      <header className="learn-head">
        <strong>Learn Kafka on your cluster</strong>
        <button className="ghost small" aria-label="Close the Learn panel" onClick={() => setOpen(false)}>
          ✕
        </button>
      </header>
      {scenario ? (
        <ScenarioView key={scenario.id} scenario={scenario} ctx={ctx} />
      ) : (
        <ul className="learn-list">
          {SCENARIOS.map((s) => (
            <li key={s.id}>
              <button className="learn-pick" onClick={() => select(s.id)}>
                <strong>{s.title}</strong>
                <span className="muted small">
                  {(done[s.id] ?? []).length}/{s.steps.length} steps · {s.concept}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
