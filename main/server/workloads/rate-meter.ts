// Events per second over a sliding window, for the live rates of a workload. Counts added
// within the same 100 ms share one slot, so a meter costs at most window/100 ms slots however
// fast it is fed. Until the window has filled, the rate is over the time since it started.

const SLOT_MS = 100;

export class RateMeter {
  #slots: { at: number; count: number }[] = [];

  constructor(
    readonly since: number = Date.now(),
    readonly windowMs = 3000,
  ) {}

  add(n: number, now = Date.now()): void {
    const last = this.#slots.at(-1);
    if (last && now - last.at < SLOT_MS) last.count += n;
    else this.#slots.push({ at: now, count: n });
    this.#prune(now);
  }

  perSecond(now = Date.now()): number {
    this.#prune(now);
    const span = Math.min(this.windowMs, now - this.since);
    if (span <= 0) return 0;
    const total = this.#slots.reduce((s, x) => s + x.count, 0);
    return Math.round((total * 10000) / span) / 10;
  }

  #prune(now: number): void {
    const from = now - this.windowMs;
    while (this.#slots.length > 0 && this.#slots[0].at <= from) this.#slots.shift();
  }
}
