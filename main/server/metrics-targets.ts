// Where the bundled cluster's nodes serve /metrics. The collector reads `current()` every tick,
// so this must be cheap; each implementation keeps the list fresh its own way:
// - targetsFromControl: the supervisor's control endpoint (`samsa serve`'s console child). It
//   lists the nodes, then long-polls the supervisor's events and lists again after each one, so
//   a restarted node (possibly on a new metrics port) is scraped from its first second.
// - targetsFromNodes: a supervisor in this very process (the app, tests) is asked directly.
// One small module on purpose: when the console server gets a shared control client, this is
// the file that changes.
import { ControlClient } from '../../broker/supervisor/control-client.ts';
import type { NodeStatus } from '../contract/control.ts';

export interface MetricsTarget {
  node: number;
  url: string;
}

export interface MetricsTargets {
  current(): MetricsTarget[];
  close(): void;
}

const toTargets = (nodes: Pick<NodeStatus, 'id' | 'metricsUrl'>[]): MetricsTarget[] =>
  nodes.flatMap((n) => (n.metricsUrl ? [{ node: n.id, url: n.metricsUrl }] : []));

export function targetsFromNodes(nodes: () => Pick<NodeStatus, 'id' | 'metricsUrl'>[]): MetricsTargets {
  return { current: () => toTargets(nodes()), close: () => {} };
}

const RETRY_MS = 2000;
const POLL_MS = 30_000;

export function targetsFromControl(dataDir: string, log: (line: string) => void = () => {}): MetricsTargets {
  let targets: MetricsTarget[] = [];
  const stop = new AbortController();
  let lastError = '';
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

  void (async () => {
    let client: ControlClient | null = null;
    let since = 0;
    let run = '';
    while (!stop.signal.aborted) {
      try {
        client ??= ControlClient.open(dataDir);
        targets = toTargets((await client.call('list', {}, 10_000, stop.signal)).nodes);
        lastError = '';
        // Wait for the next node event (started, killed, added ...), then list again.
        const ev = await client.call('events', { since, waitMs: POLL_MS }, POLL_MS + 5000, stop.signal);
        if (ev.run !== run) {
          run = ev.run;
          since = 0;
        }
        since = ev.next;
      } catch (e) {
        if (stop.signal.aborted) break;
        client = null;
        const msg = (e as Error).message;
        if (msg !== lastError) log(`metrics: cannot list the nodes through the supervisor: ${msg}`);
        lastError = msg;
        await pause(RETRY_MS);
      }
    }
  })();

  return {
    current: () => targets,
    close: () => stop.abort(),
  };
}
