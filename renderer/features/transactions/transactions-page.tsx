// Transactions of the cluster (every coordinator's, with state, producer id and epoch, partitions
// and age) and, for a chosen topic, the producers each partition leader keeps state for, with
// the first offset of any open transaction: what holds a partition's last stable offset back.
import { useState } from 'react';
import type { ProducerState, TopicProducers, Transaction } from '../../../main/contract/index.ts';
import { useTopics } from '../../api/topics.ts';
import { useTopicProducers, useTransactions } from '../../api/transactions.ts';
import { ErrorView } from '../../components/error-view.tsx';
import { formatDuration, formatLocalTime, formatNumber } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';

const TONE: Record<string, string> = { Ongoing: 'info', PrepareCommit: 'warn', PrepareAbort: 'warn', PrepareEpochFence: 'warn', CompleteCommit: 'ok', CompleteAbort: 'bad' };
const OPEN = new Set(['Ongoing', 'PrepareCommit', 'PrepareAbort', 'PrepareEpochFence']);

function age(t: Transaction, now: number): string {
  if (t.startTimeMs === null) return '—';
  const d = formatDuration(now - t.startTimeMs);
  return OPEN.has(t.state) ? `running ${d}` : `started ${d} ago`;
}

function Producers({ clusterId }: { clusterId: string }) {
  const topics = useTopics(clusterId);
  const [topic, setTopic] = useState<string | null>(null);
  const producers = useTopicProducers(clusterId, topic);
  type Row = { p: TopicProducers['partitions'][number]; s: ProducerState | null };
  const rows = (producers.data?.partitions ?? []).flatMap((p): Row[] => (p.producers.length === 0 ? [{ p, s: null }] : p.producers.map((s) => ({ p, s }))));
  return (
    <section>
      <h2 className="section">Producers</h2>
      <div className="toolbar">
        <select aria-label="Topic" value={topic ?? ''} onChange={(e) => setTopic(e.target.value || null)}>
          <option value="">Choose a topic…</option>
          {(topics.data?.topics ?? []).map((t) => (
            <option key={t.name} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <ErrorView error={producers.error} />
      {topic !== null && (
        <table className="table" aria-label="Producers">
          <thead>
            <tr>
              <th className="num">Partition</th>
              <th className="num">Leader</th>
              <th className="num">Producer id</th>
              <th className="num">Epoch</th>
              <th className="num">Last sequence</th>
              <th>Last write</th>
              <th className="num">Open transaction from</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ p, s }) => (
              <tr key={`${p.partition}-${s?.producerId ?? 'none'}`} data-testid="producer-row">
                <td className="num">{p.partition}</td>
                <td className="num">{p.leader}</td>
                {s ? (
                  <>
                    <td className="num">{s.producerId}</td>
                    <td className="num">{s.producerEpoch}</td>
                    <td className="num">{s.lastSequence}</td>
                    <td>{s.lastTimestamp === null ? '—' : formatLocalTime(s.lastTimestamp)}</td>
                    <td className="num">{s.currentTxnStartOffset === null ? 'none' : `offset ${formatNumber(s.currentTxnStartOffset)}`}</td>
                  </>
                ) : (
                  <td colSpan={5} className="empty">
                    {p.error ?? 'No producers.'}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function TransactionsPage({ clusterId }: { clusterId: string }) {
  const txns = useTransactions(clusterId);
  const list = txns.data?.transactions ?? [];
  const now = txns.dataUpdatedAt || Date.now();
  const open = list.filter((t) => OPEN.has(t.state)).length;
  return (
    <div className="page">
      <PageHeader title="Transactions" subtitle={txns.data ? `${open} open, ${list.length} transactional ids` : undefined} />
      <ErrorView error={txns.error} />
      {txns.data?.unavailable.map((u) => (
        <p key={u.brokerId} className="warn-note" role="status">
          Broker {u.brokerId} could not be asked, its transactions are missing: {u.message}
        </p>
      ))}
      <table className="table" aria-label="Transactions">
        <thead>
          <tr>
            <th>Transactional id</th>
            <th>State</th>
            <th className="num">Producer id</th>
            <th className="num">Epoch</th>
            <th>Partitions</th>
            <th>Age</th>
            <th className="num">Timeout</th>
            <th className="num">Coordinator</th>
          </tr>
        </thead>
        <tbody>
          {list.map((t) => (
            <tr key={t.transactionalId} data-testid="transaction-row">
              <td>{t.transactionalId}</td>
              <td>
                <span className={`badge ${TONE[t.state] ?? ''}`}>{t.state}</span>
              </td>
              <td className="num">{t.producerId}</td>
              <td className="num">{t.producerEpoch}</td>
              <td>{t.partitions.map((p) => `${p.topic}-${p.partition}`).join(', ') || '—'}</td>
              <td>{age(t, now)}</td>
              <td className="num">{formatDuration(t.timeoutMs)}</td>
              <td className="num">{t.coordinator}</td>
            </tr>
          ))}
          {txns.data && list.length === 0 && (
            <tr>
              <td colSpan={8} className="empty">
                No transactional producers.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <Producers clusterId={clusterId} />
    </div>
  );
}
