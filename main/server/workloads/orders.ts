// Orders and payments: an order event and then its payment event, keyed by order id (so both
// land in order on one partition). The "fraud rule" group is a small stream processor: it
// reads the payments and writes an alert to demo.fraud-alerts for a payment over 1 000 EUR or
// one made from another country than the card's.
import { asRecord, pick, type DemoMessage, type Workload, type WorkloadReader } from './workload.ts';

const CUSTOMERS = Array.from({ length: 80 }, (_, i) => ({
  id: `cust-${String(i + 1).padStart(3, '0')}`,
  country: pick(['DE', 'FR', 'NL', 'ES', 'IT', 'PL'], ((i * 7919) % 97) / 97),
}));
const ITEMS = ['book', 'headphones', 'coffee beans', 'laptop', 'running shoes', 'desk lamp', 'phone case'] as const;
const LIMIT_CENTS = 100_000;
export const FRAUD_ALERTS_TOPIC = 'demo.fraud-alerts';

/** A number in [0, 1) fixed by (seed, i): an order's payment must repeat what the order said. */
function seeded(seed: number, i: number): number {
  let x = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
}

function orderOf(runId: string, order: number) {
  const seed = parseInt(runId, 16) | 0;
  const customer = pick(CUSTOMERS, seeded(seed, order * 3));
  const large = seeded(seed, order * 3 + 1) < 1 / 30;
  const r = seeded(seed, order * 3 + 2);
  const amountCents = large ? 100_000 + Math.floor(r * 400_000) : 500 + Math.floor(r * 30_000);
  return { orderId: `order-${runId}-${order}`, customer, amountCents };
}

class FraudRule implements WorkloadReader {
  #payments = 0;
  #alerts = 0;

  read(key: string | null, value: unknown, timestamp: number): DemoMessage[] | void {
    const v = asRecord(value);
    if (v?.type !== 'payment' || typeof v.amountCents !== 'number') return;
    this.#payments++;
    const rule =
      v.amountCents > LIMIT_CENTS
        ? 'amount over 1000 EUR'
        : v.country !== v.cardCountry
          ? 'paid from another country than the card'
          : null;
    if (!rule) return;
    this.#alerts++;
    const orderId = key ?? String(v.orderId);
    return [
      {
        key: orderId,
        value: {
          orderId,
          customer: v.customer,
          rule,
          amountCents: v.amountCents,
          country: v.country,
          cardCountry: v.cardCountry,
          at: new Date(timestamp).toISOString(),
        },
      },
    ];
  }

  summary(): string {
    return `${this.#payments} payments checked · ${this.#alerts} fraud alerts written to ${FRAUD_ALERTS_TOPIC}`;
  }
}

export const orders: Workload = {
  name: 'orders',
  title: 'Orders and payments',
  description: `Orders followed by their payments, keyed by order id; the "fraud rule" group writes an alert to ${FRAUD_ALERTS_TOPIC} for a payment over 1000 EUR or from another country than the card's.`,
  topic: 'demo.orders',
  partitions: 3,
  message(n, now, runId) {
    // Even messages place an order (most are small, one in thirty is large), odd ones pay it.
    const o = orderOf(runId, Math.floor(n / 2));
    const at = new Date(now).toISOString();
    if (n % 2 === 0)
      return {
        key: o.orderId,
        value: {
          type: 'order',
          orderId: o.orderId,
          customer: o.customer.id,
          item: pick(ITEMS),
          amountCents: o.amountCents,
          at,
        },
      };
    const country = Math.random() < 0.03 ? pick(['US', 'BR', 'NG', 'VN']) : o.customer.country;
    return {
      key: o.orderId,
      value: {
        type: 'payment',
        orderId: o.orderId,
        customer: o.customer.id,
        amountCents: o.amountCents,
        cardCountry: o.customer.country,
        country,
        at,
      },
    };
  },
  reader: { group: 'demo.orders.fraud-rule', create: () => new FraudRule(), output: FRAUD_ALERTS_TOPIC },
};
