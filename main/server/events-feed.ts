// Reads the committed metadata log of the bundled cluster from any running node (long polls on
// GET /metadata/records of its metrics port) into the ClusterModel, and hands on the events the
// records mean. Every node holds the same log, so the cursor (the model's offset) carries over
// when the node read from goes away: a killed node's socket fails at once and the next running
// node is asked; a paused one would hang until the poll times out, so the supervisor's `paused`
// event makes the feed leave it at once (leave()).
import type { ClusterEventInput, } from '../contract/events.ts';
import type { NodeState } from '../contract/control.ts';
import { FeedPageSchema, type ClusterModel } from './events-metadata.ts';

export interface FeedNode {
  id: number;
  state: NodeState;
  metricsUrl: string | null;
}

const LONG_POLL_MS = 10_000;
const MARGIN_MS = 3_000;

export class MetadataFeed {
  status = 'waiting for a running node';
  #reading: { id: number; ac: AbortController } | null = null;
  #next = 0;
  readonly #stop = new AbortController();

  constructor(
    private readonly model: ClusterModel,
    private readonly nodes: () => FeedNode[],
    /** After every page that applied records, with the events they mean (maybe none). */
    private readonly onApplied: (events: ClusterEventInput[]) => void,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    void this.#loop();
  }

  stop(): void {
    this.#stop.abort();
    this.#reading?.ac.abort();
  }

  /** Stops reading from node `id` now (paused, killed, stopping): the next read asks another. */
  leave(id: number): void {
    if (this.#reading?.id === id) this.#reading.ac.abort();
  }

  #pick(): FeedNode | null {
    const live = this.nodes().filter((n) => n.state === 'running' && n.metricsUrl);
    if (live.length === 0) return null;
    return live[this.#next++ % live.length];
  }

  async #loop(): Promise<void> {
    const stop = this.#stop.signal;
    let node: FeedNode | null = null;
    let lastError = '';
    while (!stop.aborted) {
      if (!node || !this.nodes().some((n) => n.id === node!.id && n.state === 'running')) node = this.#pick();
      if (!node) {
        this.status = 'no running node to read the metadata log from';
        await sleep(250);
        continue;
      }
      const ac = new AbortController();
      this.#reading = { id: node.id, ac };
      const url = new URL('/metadata/records', node.metricsUrl!);
      url.searchParams.set('after', String(this.model.offset));
      url.searchParams.set('waitMs', String(LONG_POLL_MS));
      try {
        const res = await fetch(url, { signal: AbortSignal.any([ac.signal, stop, AbortSignal.timeout(LONG_POLL_MS + MARGIN_MS)]) });
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${(await res.text()).trim()}`);
        const page = FeedPageSchema.parse(await res.json());
        this.status = `live, reading the metadata log from node ${node.id}`;
        lastError = '';
        this.#apply(page);
      } catch (e) {
        if (stop.aborted) return;
        const message = ac.signal.aborted ? `left node ${node.id}` : `node ${node.id}: ${(e as Error).message}`;
        if (message !== lastError && !ac.signal.aborted) this.log(`cluster events: metadata log read failed: ${message}`);
        lastError = message;
        this.status = `reconnecting (${message})`;
        node = this.#pick();
        if (!ac.signal.aborted) await sleep(100);
      }
    }
  }

  #apply(page: ReturnType<typeof FeedPageSchema.parse>): void {
    const m = this.model;
    let applied = false;
    if (page.snapshot && page.snapshot.endOffset > m.offset + 1) {
      m.restore(page.snapshot.endOffset, page.snapshot.data);
      applied = true;
    }
    const events: ClusterEventInput[] = [];
    for (const r of page.records) {
      if (r.offset <= m.offset) continue;
      if (r.offset !== m.offset + 1) {
        this.log(`cluster events: metadata log gap at ${m.offset + 1} (got ${r.offset}); reading again`);
        break;
      }
      events.push(...m.apply(r.record, r.offset, r.at));
      applied = true;
    }
    if (applied) this.onApplied(events);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
