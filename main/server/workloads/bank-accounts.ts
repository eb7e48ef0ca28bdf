// Bank-account events: deposits, withdrawals and fees on fifty accounts, keyed by account, so
// replaying one partition in order rebuilds those accounts' balances (event sourcing). The
// "balances" group does exactly that. Amounts are whole cents.
import { asRecord, pick, weighted, type Workload, type WorkloadReader } from './workload.ts';

const ACCOUNTS = Array.from({ length: 50 }, (_, i) => `acct-${String(i + 1).padStart(3, '0')}`);
const TYPES = [
  ['deposit', 45],
  ['withdrawal', 45],
  ['fee', 10],
] as const;
const CHANNELS = ['card', 'transfer', 'atm', 'standing-order'] as const;

function amountCents(type: string): number {
  if (type === 'fee') return -(100 + Math.floor(Math.random() * 400));
  const cents = 500 + Math.floor(Math.random() * 20_000);
  return type === 'withdrawal' ? -cents : cents;
}

const euros = (cents: number) => (cents / 100).toFixed(2);

class Balances implements WorkloadReader {
  readonly #balances = new Map<string, number>();

  read(key: string | null, value: unknown): void {
    const v = asRecord(value);
    const account = key ?? (typeof v?.account === 'string' ? v.account : null);
    if (!account || typeof v?.amountCents !== 'number') return;
    this.#balances.set(account, (this.#balances.get(account) ?? 0) + v.amountCents);
  }

  summary(): string {
    let total = 0;
    let overdrawn = 0;
    for (const b of this.#balances.values()) {
      total += b;
      if (b < 0) overdrawn++;
    }
    return `${this.#balances.size} accounts · total balance ${euros(total)} EUR · ${overdrawn} overdrawn`;
  }
}

export const bankAccounts: Workload = {
  name: 'bank-accounts',
  title: 'Bank-account events',
  description:
    'Deposits, withdrawals and fees on 50 accounts, keyed by account; the "balances" group replays them into balances.',
  topic: 'demo.bank-accounts',
  partitions: 3,
  message(n, now) {
    const account = pick(ACCOUNTS);
    const type = weighted(TYPES);
    return {
      key: account,
      value: {
        eventId: n,
        account,
        type,
        amountCents: amountCents(type),
        currency: 'EUR',
        channel: pick(CHANNELS),
        at: new Date(now).toISOString(),
      },
    };
  },
  reader: { group: 'demo.bank-accounts.balances', create: () => new Balances() },
};
