// Node events from the supervisor's event log (control endpoint `events`, a long poll with a
// cursor): every start, stop, kill, crash, pause, resume, add and remove, in order, with the
// supervisor's timestamps. A new supervisor run (its `run` id changed) numbers from 1 again: the
// cursor restarts and that run's history is read from its beginning. When the endpoint cannot
// be reached the loop says so in `status` and tries again every second.
import type { ControlClient } from '../../broker/supervisor/control-client.ts';
import type { ClusterEventInput, ClusterEventKind } from '../contract/events.ts';
import type { SupervisorEvent } from '../contract/control.ts';

export type ControlCaller = Pick<ControlClient, 'call'>;

const KIND: Record<SupervisorEvent['type'], ClusterEventKind> = {
  started: 'node-started',
  stopped: 'node-stopped',
  killed: 'node-killed',
  exited: 'node-exited',
  paused: 'node-paused',
  resumed: 'node-resumed',
  added: 'node-added',
  removed: 'node-removed',
};

function describe(e: SupervisorEvent): string {
  const node = `node ${e.nodeId}`;
  const how = e.signal ? ` (${e.signal})` : e.code !== null ? ` (exit code ${e.code})` : '';
  switch (e.type) {
    case 'started':
      return `${node} started (pid ${e.pid})`;
    case 'killed':
      return `${node} killed${how || ' (SIGKILL)'}`;
    case 'exited':
      return `${node} exited unexpectedly${how}`;
    case 'paused':
      return `${node} paused (SIGSTOP): frozen, no heartbeats`;
    case 'resumed':
      return `${node} resumed (SIGCONT)`;
    case 'added':
      return `${node} added (a broker, not a metadata voter)`;
    default:
      return `${node} ${e.type}${how}`;
  }
}

export function supervisorEventInput(e: SupervisorEvent): ClusterEventInput {
  return {
    at: e.at,
    source: 'supervisor',
    kind: KIND[e.type],
    nodeId: e.nodeId,
    topic: null,
    partition: null,
    leader: null,
    isr: null,
    replicas: null,
    offset: null,
    text: describe(e),
  };
}

const LONG_POLL_MS = 20_000;

export class SupervisorEvents {
  status = 'connecting to the supervisor';
  #since = 0;
  #run: string | null = null;
  readonly #stop = new AbortController();

  constructor(
    private readonly control: ControlCaller,
    private readonly onEvents: (events: SupervisorEvent[]) => void,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    void this.#loop();
  }

  stop(): void {
    this.#stop.abort();
  }

  async #loop(): Promise<void> {
    const signal = this.#stop.signal;
    let failing = false;
    while (!signal.aborted) {
      try {
        const res = await this.control.call('events', { since: this.#since, waitMs: LONG_POLL_MS }, LONG_POLL_MS + 10_000, signal);
        if (this.#run !== null && res.run !== this.#run && this.#since > 0) {
          this.#run = res.run;
          this.#since = 0;
          continue;
        }
        this.#run = res.run;
        this.#since = res.next;
        this.status = 'live';
        failing = false;
        if (res.events.length) this.onEvents(res.events);
      } catch (e) {
        if (signal.aborted) return;
        const message = (e as Error).message;
        if (!failing) this.log(`cluster events: supervisor events unavailable: ${message}`);
        failing = true;
        this.status = `cannot reach the supervisor (${message}); retrying`;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}
