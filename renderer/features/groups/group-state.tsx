// Group state as a coloured badge (Kafka's state names, title-cased).
const TONE: Record<string, string> = { STABLE: 'ok', EMPTY: '', DEAD: 'bad', PREPARING_REBALANCE: 'warn', COMPLETING_REBALANCE: 'warn' };

export function GroupState({ state }: { state: string }) {
  const label = state
    .toLowerCase()
    .split('_')
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
  return <span className={`badge ${TONE[state] ?? ''}`}>{label}</span>;
}
