// The send loop every console producer shares (the demo workloads' runner, the producer lab):
// records fall due at the asked rate (a token budget that never holds more than one second's
// worth, so a slow cluster gets fewer records, never a burst), and the due records go out as
// one send once `maxBatch` of them are due or `lingerMs` has passed since the first of them fell
// due, which is Kafka's batch.size / linger.ms rule counted in records. Up to `inFlight` sends
// run at once (Kafka's max.in.flight.requests.per.connection); a failed send pauses the loop for
// `retryMs`, and the budget does not grow during the pause. The loop itself makes no records and
// owns no client: `send(count, openedAt)` does (openedAt: when the batch's first record fell due).

export interface PaceOptions {
  /** Records per second; Infinity: as fast as the sends complete. Read on every turn (it may change). */
  rate(): number;
  stopping(): boolean;
  /** Most records in one send; Infinity: everything due. */
  maxBatch: number;
  lingerMs: number;
  /** Sends running at once, at least 1. */
  inFlight: number;
  retryMs: number;
  /** Sends `count` records; false when it failed (the loop pauses). It must not throw. */
  send(count: number, openedAt: number): Promise<boolean>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longest the loop sleeps, so a stop or a rate change is seen promptly. */
const MAX_NAP_MS = 100;

/** Runs until `stopping()`, then waits for the sends in flight. */
export async function pace(o: PaceOptions): Promise<void> {
  const flights = new Set<Promise<void>>();
  let budget = 0;
  let last = Date.now();
  let openedAt = last;
  let pausedUntil = 0;
  while (!o.stopping()) {
    const now = Date.now();
    if (now < pausedUntil) {
      await sleep(Math.min(MAX_NAP_MS, pausedUntil - now));
      last = Date.now();
      continue;
    }
    const rate = o.rate();
    const unbounded = !Number.isFinite(rate);
    budget = unbounded
      ? Infinity
      : Math.min(Math.max(rate, Number.isFinite(o.maxBatch) ? o.maxBatch : 0), budget + (rate * (now - last)) / 1000);
    last = now;
    const due = Math.min(
      Math.floor(budget),
      o.maxBatch,
      unbounded ? (Number.isFinite(o.maxBatch) ? o.maxBatch : 1000) : Infinity,
    );
    if (due === 0) openedAt = now;
    if (due > 0 && (due >= o.maxBatch || unbounded || now - openedAt >= o.lingerMs)) {
      if (flights.size >= Math.max(1, o.inFlight)) {
        await Promise.race(flights);
        continue;
      }
      if (!unbounded) budget -= due;
      const opened = openedAt;
      openedAt = now;
      const flight: Promise<void> = o.send(due, opened).then((ok) => {
        flights.delete(flight);
        if (!ok) pausedUntil = Date.now() + o.retryMs;
      });
      flights.add(flight);
      if (flights.size >= Math.max(1, o.inFlight)) await Promise.race(flights);
      continue;
    }
    // Until the batch is full or its linger is over, or until the next record falls due.
    const toNext = unbounded
      ? 0
      : due > 0
        ? Math.min(o.lingerMs - (now - openedAt), ((Math.min(o.maxBatch, rate) - budget) * 1000) / rate)
        : ((1 - budget) * 1000) / rate;
    await sleep(Math.max(1, Math.min(MAX_NAP_MS, Math.ceil(toNext))));
  }
  await Promise.all(flights);
}
