// GET /metadata/records?after=<offset>&max=<n>&waitMs=<ms> on the metrics port: the committed
// metadata log as JSON (metadata/metadata-feed.ts), for the console's cluster timeline and
// replica map. `after` is the last offset the reader has (-1 or absent: from the start); `max`
// caps the records (1..1000, default 1000); with `waitMs` (0..30000) the answer waits that long
// for a first new record (a long poll: a change reaches the reader within a few tens of ms
// instead of a polling interval). Bad parameters get 400 with the reason.

import type http from 'node:http';
import { FEED_MAX_RECORDS, readFeed, type MetadataLogView } from '../metadata/metadata-feed.ts';

export const METADATA_RECORDS_PATH = '/metadata/records';
const MAX_WAIT_MS = 30_000;
/** How often a waiting request looks for new records: the latency a long poll adds. */
const WAIT_STEP_MS = 15;

function intParam(q: URLSearchParams, name: string, min: number, max: number, dflt: number): number | string {
  const raw = q.get(name);
  if (raw === null || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) return `${name} must be an integer in ${min}..${max}, got '${raw}'`;
  return n;
}

type Reply = (status: number, body: string, headers?: http.OutgoingHttpHeaders) => void;

export function serveMetadataRecords(log: MetadataLogView | undefined, url: URL, req: http.IncomingMessage, reply: Reply): void {
  if (!log) return reply(404, 'not found: this node runs no metadata quorum (started without --voters)\n');
  if (req.method !== 'GET') return reply(405, `method ${req.method} not allowed: use GET ${METADATA_RECORDS_PATH}\n`, { allow: 'GET' });
  const after = intParam(url.searchParams, 'after', -1, Number.MAX_SAFE_INTEGER, -1);
  const max = intParam(url.searchParams, 'max', 1, FEED_MAX_RECORDS, FEED_MAX_RECORDS);
  const waitMs = intParam(url.searchParams, 'waitMs', 0, MAX_WAIT_MS, 0);
  for (const v of [after, max, waitMs]) if (typeof v === 'string') return reply(400, `bad request: ${v}\n`);
  const [a, m, w] = [after, max, waitMs] as number[];
  const send = () => {
    const body = JSON.stringify(readFeed(log, a, m));
    reply(200, body, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  };
  // Offset a+1 applied (also true when a+1 is below the log start: the snapshot is news).
  const ready = () => log.applied > a + 1;
  if (w === 0 || ready()) return send();
  const deadline = Date.now() + w;
  const timer = setInterval(() => {
    if (!ready() && Date.now() < deadline && !req.socket.destroyed) return;
    clearInterval(timer);
    if (!req.socket.destroyed) send();
  }, WAIT_STEP_MS);
  req.socket.once('close', () => clearInterval(timer));
}
