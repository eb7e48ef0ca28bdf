// The bundled cluster as the console server drives and watches it, through its supervisor's
// control endpoint (ControlClient over the Unix socket in the data dir, decision 0007) and the
// console's metrics collector (the Nodes table's per-node figures, decision 0012): the node list (kept current from the supervisor's events, refreshed
// every few seconds), the event timeline (events.ts), and the metadata model rebuilt from the
// committed metadata log (events-metadata.ts) behind the replica map. Only the bundled cluster
// has one; remote clusters are reached over Kafka alone.
import { ControlError } from '../../broker/supervisor/control-error.ts';
import type { ClusterState, ImpactAction, NodeAction, NodeMetrics } from '../contract/cluster-control.ts';
import type { ControlErrorCode, NodeStatus, SupervisorEvent } from '../contract/control.ts';
import { ConsoleError } from '../kafka/errors.ts';
import { impactOf } from './cluster-control-impact.ts';
import { MetadataFeed } from './events-feed.ts';
import { ClusterModel } from './events-metadata.ts';
import { SupervisorEvents, supervisorEventInput, type ControlCaller } from './events-supervisor.ts';
import { EventStore } from './events.ts';
import type { MetricsCollector } from './metrics-collector.ts';
import { eventMarkers } from './metrics-event-markers.ts';
import { NO_LABELS, seriesKey, type Metric } from '../contract/metrics.ts';

export type { ControlCaller } from './events-supervisor.ts';

const REFRESH_MS = 5000;
/** Node actions wait for the supervisor (a restart until the node listens, an add until Metadata lists it). */
const ACTION_TIMEOUT_MS = 60_000;
/** A removal first moves the node's replicas away (the supervisor gives up after 10 min). */
const REMOVE_TIMEOUT_MS = 11 * 60_000;

const HTTP_STATUS: Record<ControlErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 502,
  FORBIDDEN: 502,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  REFUSED: 409,
  UNAVAILABLE: 503,
  INTERNAL: 502,
};

/** The supervisor's words ("node 2 is already paused") reach the UI as they are. */
function consoleErrorOf(e: unknown): unknown {
  if (e instanceof ControlError) return new ConsoleError(e.code, e.message, HTTP_STATUS[e.code]);
  if (e instanceof Error && /no cluster is running/.test(e.message)) return new ConsoleError('UNAVAILABLE', e.message, 503);
  return e;
}

const STATE_AFTER: Partial<Record<SupervisorEvent['type'], NodeStatus['state']>> = {
  started: 'running',
  stopped: 'stopped',
  killed: 'dead',
  exited: 'dead',
  paused: 'paused',
  resumed: 'running',
};

export class BundledCluster {
  readonly events = new EventStore();
  readonly model = new ClusterModel();
  nodes: NodeStatus[] = [];
  clusterId: string | null = null;
  /** Why the node list could not be read, or null. */
  listError: string | null = null;
  readonly #supervisor: SupervisorEvents;
  readonly #feed: MetadataFeed;
  /** Each running node's figures from the collector's latest tick. */
  #metrics = new Map<number, NodeMetrics>();
  #unfollowMetrics: (() => void) | null = null;
  #listeners = new Set<() => void>();
  #refresh: NodeJS.Timeout | undefined;
  #pendingRefresh: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    readonly control: ControlCaller,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.#supervisor = new SupervisorEvents(control, (es) => this.#onSupervisorEvents(es), log);
    this.#feed = new MetadataFeed(this.model, () => this.nodes, (es) => this.#onMetadata(es), log);
  }

  start(): void {
    void this.refreshNodes();
    this.#refresh = setInterval(() => void this.refreshNodes(), REFRESH_MS);
    this.#supervisor.start();
    this.#feed.start();
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#refresh);
    clearTimeout(this.#pendingRefresh);
    this.#supervisor.stop();
    this.#feed.stop();
    this.#unfollowMetrics?.();
    this.#listeners.clear();
  }

  /**
   * Takes the Nodes table's figures from the collector that scrapes these nodes, tick by tick,
   * and gives it the timeline's leader and ISR changes as chart markers .
   */
  followMetrics(collector: MetricsCollector): void {
    this.#unfollowMetrics?.();
    // A kill's leader changes arrive in one metadata page: one marker per kind for the batch.
    const offEvents = this.events.subscribe((es) => collector.addMarkers(eventMarkers(es)));
    const offTicks = collector.subscribe((tick) => {
      this.#metrics.clear();
      for (const n of this.nodes) {
        const v = (m: Metric) => tick.values.get(seriesKey(m, { ...NO_LABELS, node: n.id })) ?? null;
        const m: NodeMetrics = { bytesInPerSec: v('bytesIn'), bytesOutPerSec: v('bytesOut'), cpuPercent: v('cpu'), rssBytes: v('rss'), at: tick.t };
        if (m.bytesInPerSec !== null || m.bytesOutPerSec !== null || m.cpuPercent !== null || m.rssBytes !== null) this.#metrics.set(n.id, m);
      }
      this.#changed();
    });
    this.#unfollowMetrics = () => {
      offEvents();
      offTicks();
    };
  }

  get sources(): { supervisor: string; metadata: string } {
    return { supervisor: this.#supervisor.status, metadata: this.#feed.status };
  }

  /** fn runs after every change of the node list or the metadata model. */
  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #changed(): void {
    for (const fn of this.#listeners) fn();
  }

  /** The active controller: the metadata log's, unless that node is not running (the log cannot say it died). */
  get controllerId(): number {
    const id = this.model.controllerId;
    if (id >= 0) return this.nodes.find((n) => n.id === id)?.state === 'running' ? id : -1;
    return this.nodes.find((n) => n.controller)?.id ?? -1;
  }

  state(): ClusterState {
    const now = Date.now();
    const controllerId = this.controllerId;
    const partitions = this.model.partitions().map((p) => ({
      ...p,
      internal: this.model.isInternal(p.topic),
      minInsyncReplicas: Number(this.model.topicConfig(p.topic, 'min.insync.replicas', '1')) || 1,
    }));
    const voters = this.nodes.filter((n) => n.role === 'voter').map((n) => n.id);
    return {
      available: true,
      reason: null,
      clusterId: this.clusterId,
      controllerId,
      nodes: this.nodes.map((n) => ({
        ...n,
        controller: n.id === controllerId,
        uptimeMs: n.startedAt === null ? null : now - n.startedAt,
        leaders: partitions.filter((p) => p.leader === n.id).length,
        partitions: partitions.filter((p) => p.replicas.includes(n.id)).length,
        fenced: this.model.brokers.get(n.id)?.fenced ?? null,
        metrics: n.state === 'running' ? (this.#metrics.get(n.id) ?? null) : null,
      })),
      quorum: {
        voters,
        majority: Math.floor(voters.length / 2) + 1,
        liveVoters: this.nodes.filter((n) => n.role === 'voter' && n.state === 'running').length,
      },
      partitions,
      metadataOffset: this.model.offset,
      sources: { ...this.sources, nodes: this.listError ? `cannot list the nodes: ${this.listError}` : 'live' },
    };
  }

  impact(action: ImpactAction, nodeId: number | null) {
    return impactOf(this.state(), action, nodeId);
  }

  async act(action: NodeAction, id: number): Promise<{ node: NodeStatus }> {
    try {
      return await this.control.call(action, { id }, ACTION_TIMEOUT_MS);
    } catch (e) {
      throw consoleErrorOf(e);
    } finally {
      void this.refreshNodes();
    }
  }

  async addNode(): Promise<{ node: NodeStatus }> {
    try {
      return await this.control.call('add', {}, ACTION_TIMEOUT_MS);
    } catch (e) {
      throw consoleErrorOf(e);
    } finally {
      void this.refreshNodes();
    }
  }

  async removeNode(id: number): Promise<{ removed: number; moved: number }> {
    try {
      return await this.control.call('remove', { id }, REMOVE_TIMEOUT_MS);
    } catch (e) {
      throw consoleErrorOf(e);
    } finally {
      void this.refreshNodes();
    }
  }

  async refreshNodes(): Promise<void> {
    try {
      const list = await this.control.call('list', {}, 10_000);
      if (this.#closed) return;
      this.nodes = list.nodes;
      this.clusterId = list.clusterId;
      this.listError = null;
    } catch (e) {
      this.listError = (e as Error).message;
    }
    this.#changed();
  }

  #onSupervisorEvents(events: SupervisorEvent[]): void {
    for (const e of events) {
      const state = STATE_AFTER[e.type];
      const n = this.nodes.find((x) => x.id === e.nodeId);
      if (n && state) Object.assign(n, { state, pid: e.pid, startedAt: state === 'running' ? (n.startedAt ?? e.at) : state === 'paused' ? n.startedAt : null });
      if (e.type === 'removed') this.nodes = this.nodes.filter((x) => x.id !== e.nodeId);
      if (state && state !== 'running') this.#feed.leave(e.nodeId);
    }
    this.events.add(events.map(supervisorEventInput));
    this.#changed();
    // pid, metrics URL (a new port after a restart), uptime and role come with the list.
    clearTimeout(this.#pendingRefresh);
    this.#pendingRefresh = setTimeout(() => void this.refreshNodes(), 50);
  }

  #onMetadata(events: Parameters<EventStore['add']>[0]): void {
    this.events.add(events);
    this.#changed();
  }
}

const PUSH_EVERY_MS = 100;

/** A live reader for a stream socket: `read()` now, then after each change (at most every `everyMs`), until `signal` aborts. */
export function pushChanges<T>(onChange: (fn: () => void) => () => void, read: () => T, signal: AbortSignal, send: (value: T) => void, everyMs: number): Promise<void> {
  send(read());
  let timer: NodeJS.Timeout | undefined;
  let last = Date.now();
  return new Promise((resolve) => {
    const off = onChange(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        send(read());
      }, Math.max(0, last + everyMs - Date.now()));
    });
    const done = () => {
      off();
      clearTimeout(timer);
      resolve();
    };
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
}

/** The cluster state for a stream socket: now, then after each change (at most every 100 ms). */
export const streamClusterState = (b: BundledCluster, signal: AbortSignal, send: (state: ClusterState) => void): Promise<void> =>
  pushChanges((fn) => b.onChange(fn), () => b.state(), signal, send, PUSH_EVERY_MS);
