// Clickstream: page views and clicks of a few hundred users, keyed by user (so one user's
// events stay in order on one partition). A few users are much busier than the rest, as on a
// real site. The "active users" consumer group counts distinct users seen in the last 30 s.
import { pick, weighted, asRecord, type Workload, type WorkloadReader } from './workload.ts';

const USERS = 300;
const PAGES = ['/', '/products', '/products/42', '/products/7', '/search', '/cart', '/checkout', '/account'] as const;
const ACTIONS = [
  ['view', 70],
  ['click', 20],
  ['add_to_cart', 7],
  ['purchase', 3],
] as const;
const DEVICES = ['mobile', 'desktop', 'tablet'] as const;
const ACTIVE_WINDOW_MS = 30_000;

/** One user in ten gets half the traffic. */
function user(): string {
  const busy = Math.random() < 0.5;
  const n = busy ? Math.floor(Math.random() * (USERS / 10)) : Math.floor(Math.random() * USERS);
  return `user-${String(n + 1).padStart(3, '0')}`;
}

class ActiveUsers implements WorkloadReader {
  readonly #lastSeen = new Map<string, number>();
  #purchases = 0;

  read(key: string | null, value: unknown, timestamp: number): void {
    const v = asRecord(value);
    const u = key ?? (typeof v?.user === 'string' ? v.user : null);
    if (u) this.#lastSeen.set(u, timestamp);
    if (v?.action === 'purchase') this.#purchases++;
  }

  summary(now: number): string {
    let active = 0;
    for (const [u, at] of this.#lastSeen) {
      if (now - at <= ACTIVE_WINDOW_MS) active++;
      else this.#lastSeen.delete(u);
    }
    return `${active} active users in the last 30 s · ${this.#purchases} purchases`;
  }
}

export const clickstream: Workload = {
  name: 'clickstream',
  title: 'Clickstream',
  description: 'Page views and clicks keyed by user; the "active users" group counts who was seen in the last 30 s.',
  topic: 'demo.clickstream',
  partitions: 3,
  message(n, now) {
    const u = user();
    return {
      key: u,
      value: {
        event: n,
        user: u,
        action: weighted(ACTIONS),
        page: pick(PAGES),
        device: pick(DEVICES),
        at: new Date(now).toISOString(),
      },
    };
  },
  reader: { group: 'demo.clickstream.active-users', create: () => new ActiveUsers() },
};
