// The bundled cluster as the console server drives and watches it, through its supervisor's
// control endpoint (ControlClient over the Unix socket in the data dir, decision 0007) and the
// nodes' metrics ports: the node list (kept current from the supervisor's events, refreshed
// every few seconds), the event timeline (events.ts), and the metadata model rebuilt from the
// committed metadata log (events-metadata.ts) behind the replica map. Only the bundled cluster
// has one; remote clusters are reached over Kafka alone.
import type { NodeStatus, SupervisorEvent } from '../contract/control.ts';
import { MetadataFeed } from './events-feed.ts';
import { ClusterModel } from './events-metadata.ts';
import { SupervisorEvents, supervisorEventInput, type ControlCaller } from './events-supervisor.ts';
import { EventStore } from './events.ts';

export type { ControlCaller } from './events-supervisor.ts';

const REFRESH_MS = 5000;

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
  /** Why the node list could not be read, or null. */
  listError: string | null = null;
  readonly #supervisor: SupervisorEvents;
  readonly #feed: MetadataFeed;
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
    this.#listeners.clear();
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

  async refreshNodes(): Promise<void> {
    try {
      const list = await this.control.call('list', {}, 10_000);
      if (this.#closed) return;
      this.nodes = list.nodes;
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
