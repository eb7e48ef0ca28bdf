// Stream processor: page views per page per 10 s tumbling window. It writes clickstream traffic
// to demo.clickstream (the clickstream workload's messages), and its "page-view windows" group
// reads that topic (all of it, whoever wrote it) and writes one message per page and window to
// demo.pageviews-per-window: {page, windowStart, windowEnd, views}, keyed by page.
// - Windows are by event time, the record's timestamp (CreateTime): [k·10 s, (k+1)·10 s).
// - A window is closed, and written, once a message at least GRACE_MS past its end was read
//   (the watermark is the newest timestamp seen); a view older than a written window is late:
//   counted in the summary, not in any window. The last window stays open when traffic stops.
// - Only complete windows are written: a window that began before this run's reader existed or
//   before the first message it read may have had messages this run did not see (a new group
//   starts at the end; a restarted one goes on from its commits), so it is skipped.
// At least once, as the fraud rule (runner.ts): a crash between a send and its commit can repeat
// a window's messages. The group's lag is what any consumer group shows (Consumer groups screen).
import { clickstream } from './clickstream.ts';
import { asRecord, type DemoMessage, type Workload, type WorkloadReader } from './workload.ts';

export const PAGEVIEWS_TOPIC = 'demo.pageviews-per-window';
export const WINDOW_MS = 10_000;
export const GRACE_MS = 2000;

export interface PageViewsWindow {
  page: string;
  windowStart: number;
  windowEnd: number;
  views: number;
}

const hhmmss = (t: number) => new Date(t).toISOString().slice(11, 19);

export class PageViewWindows implements WorkloadReader {
  /** open windows: start → page → views */
  readonly #open = new Map<number, Map<string, number>>();
  /** windows starting before this are never written (see the header) */
  #from: number;
  #watermark = -Infinity;
  /** windows up to (not including) this start are closed */
  #closedBefore = -Infinity;
  #written = 0;
  #late = 0;
  #last: { start: number; views: number; top: string } | null = null;

  constructor(now = Date.now()) {
    this.#from = now;
  }

  read(_key: string | null, value: unknown, timestamp: number): DemoMessage[] | void {
    if (!Number.isFinite(timestamp)) return;
    if (this.#watermark === -Infinity) this.#from = Math.max(this.#from, timestamp);
    this.#watermark = Math.max(this.#watermark, timestamp);
    const v = asRecord(value);
    if (v?.action === 'view' && typeof v.page === 'string') {
      const start = Math.floor(timestamp / WINDOW_MS) * WINDOW_MS;
      if (start < this.#closedBefore) this.#late++;
      else {
        let w = this.#open.get(start);
        if (!w) this.#open.set(start, (w = new Map()));
        w.set(v.page, (w.get(v.page) ?? 0) + 1);
      }
    }
    return this.#close();
  }

  /** Writes every open window whose end the watermark has passed by GRACE_MS, oldest first. */
  #close(): DemoMessage[] {
    const out: DemoMessage[] = [];
    const closeBefore = Math.floor((this.#watermark - GRACE_MS) / WINDOW_MS) * WINDOW_MS;
    if (closeBefore <= this.#closedBefore) return out;
    this.#closedBefore = closeBefore;
    for (const start of [...this.#open.keys()].sort((a, b) => a - b)) {
      if (start >= closeBefore) break;
      const pages = this.#open.get(start)!;
      this.#open.delete(start);
      if (start < this.#from || pages.size === 0) continue;
      const rows = [...pages].sort(([a], [b]) => a.localeCompare(b));
      for (const [page, views] of rows) {
        const value: PageViewsWindow = { page, windowStart: start, windowEnd: start + WINDOW_MS, views };
        out.push({ key: page, value: { ...value } });
      }
      const top = rows.reduce((a, b) => (b[1] > a[1] ? b : a));
      this.#written++;
      this.#last = { start, views: rows.reduce((s, [, n]) => s + n, 0), top: `${top[0]} (${top[1]})` };
    }
    return out;
  }

  summary(): string {
    const last = this.#last ? ` · last ${hhmmss(this.#last.start)}–${hhmmss(this.#last.start + WINDOW_MS)}: ${this.#last.views} views, top ${this.#last.top}` : '';
    return `${this.#written} windows of 10 s written to ${PAGEVIEWS_TOPIC}${last} · ${this.#late} late views`;
  }
}

export const streamProcessor: Workload = {
  name: 'stream-processor',
  title: 'Stream processor',
  description: `Clickstream traffic to ${clickstream.topic}; the "page-view windows" group counts page views per page in 10 s tumbling windows and writes each closed window to ${PAGEVIEWS_TOPIC}.`,
  topic: clickstream.topic,
  partitions: clickstream.partitions,
  message: (n, now, runId, env) => clickstream.message(n, now, runId, env),
  reader: { group: 'demo.stream-processor.page-view-windows', create: () => new PageViewWindows(), output: PAGEVIEWS_TOPIC },
};
