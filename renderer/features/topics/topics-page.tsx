// Topics of the selected cluster: searchable, sortable, with create and delete. Offline and
// under-replicated partitions are badges on their topic; "No topics yet" only when the cluster
// said so, never because it could not be read (then the error shows instead).
import { useCallback, useMemo, useState } from 'react';
import { WINDOW_MS, type TopicSummary } from '../../../main/contract/index.ts';
import { useDeleteTopic, useTopics } from '../../api/topics.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { QueryStatus } from '../../components/query-status.tsx';
import { formatBytes, formatNumber } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { useSort } from '../../components/use-sort.ts';
import { Link, navigate } from '../../router.tsx';
import { Sparkline } from '../metrics/sparkline.tsx';
import { useMetrics, type MetricsSeries } from '../metrics/use-metrics.ts';
import { CreateTopicDialog } from './create-topic-dialog.tsx';

const SPARK_WINDOW = '5m';

type Col = 'name' | 'partitions' | 'replicationFactor' | 'messages' | 'sizeBytes';
const COLS: { key: Col; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'partitions', label: 'Partitions', numeric: true },
  { key: 'replicationFactor', label: 'Replicas', numeric: true },
  { key: 'messages', label: 'Messages', numeric: true },
  { key: 'sizeBytes', label: 'Size', numeric: true },
];

export function TopicsPage({ clusterId }: { clusterId: string }) {
  const topics = useTopics(clusterId);
  const del = useDeleteTopic(clusterId);
  const [filter, setFilter] = useState('');
  const [showInternal, setShowInternal] = useState(false);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  // The view `topics` sends only per-topic bytes and messages in.
  const metrics = useMetrics(clusterId, { view: 'topics', window: SPARK_WINDOW });
  const inRate = useMemo(() => {
    const m = new Map<string, MetricsSeries>();
    for (const s of metrics.series.values()) if (s.meta.metric === 'messagesIn' && s.meta.topic !== null && s.meta.partition === null) m.set(s.meta.topic, s);
    return m;
  }, [metrics]);

  const rows = (topics.data?.topics ?? []).filter(
    (t) => (showInternal || !t.internal) && t.name.toLowerCase().includes(filter.trim().toLowerCase()),
  );
  const get = useCallback((t: TopicSummary, k: Col) => t[k], []);
  const { sorted, toggle, indicator, ariaSort } = useSort<TopicSummary, Col>(rows, 'name', get);

  return (
    <div className="page">
      <PageHeader
        title="Topics"
        subtitle={topics.data ? `${topics.data.topics.filter((t) => !t.internal).length} topics` : undefined}
        actions={
          <button className="primary" data-learn-target="create-topic" onClick={() => setCreating(true)}>
            Create topic
          </button>
        }
      />
      <div className="toolbar">
        <input type="search" aria-label="Filter topics" placeholder="Filter by name…" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <label className="check">
          <input type="checkbox" checked={showInternal} onChange={(e) => setShowInternal(e.target.checked)} /> Show internal topics
        </label>
      </div>
      <QueryStatus query={topics} />
      {topics.isLoading ? (
        <div className="empty">Loading topics…</div>
      ) : topics.data === undefined ? null : (
        <table className="table" aria-label="Topics">
          <thead>
            <tr>
              {COLS.map((c) => (
                <th key={c.key} aria-sort={ariaSort(c.key)} className={c.numeric ? 'num' : ''}>
                  <button className="sort" onClick={() => toggle(c.key)}>
                    {c.label}
                    {indicator(c.key)}
                  </button>
                </th>
              ))}
              <th>In (5 min)</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {sorted.map((t) => (
              <tr key={t.name} data-testid="topic-row">
                <td>
                  <Link to={`/topics/${encodeURIComponent(t.name)}`}>{t.name}</Link>
                  {t.offline > 0 && <span className="badge bad">{t.offline} offline</span>}
                  {t.underReplicated > 0 && <span className="badge warn">{t.underReplicated} under-replicated</span>}
                </td>
                <td className="num">{t.partitions}</td>
                <td className="num">{t.replicationFactor}</td>
                <td className="num">{formatNumber(t.messages)}</td>
                <td className="num">{formatBytes(t.sizeBytes)}</td>
                <td>
                  {inRate.has(t.name) && (
                    <Sparkline label={`${t.name} messages in`} t={metrics.t} v={inRate.get(t.name)!.v} windowMs={WINDOW_MS[SPARK_WINDOW]} unit="msg/s" />
                  )}
                </td>
                <td className="row-actions">
                  {!t.internal && (
                    <button className="ghost danger" aria-label={`Delete topic ${t.name}`} onClick={() => setDeleting(t.name)}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {sorted.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">
                  {filter ? 'No topic matches the filter.' : 'No topics yet. Create one, or produce with any Kafka client.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {creating && (
        <CreateTopicDialog
          clusterId={clusterId}
          onClose={() => setCreating(false)}
          onCreated={(name) => {
            setCreating(false);
            navigate(`/topics/${encodeURIComponent(name)}`);
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete topic ${deleting}`}
          name={deleting}
          action="Delete topic"
          busy={del.isPending}
          error={del.error}
          onClose={() => {
            del.reset();
            setDeleting(null);
          }}
          onConfirm={() => del.mutate(deleting, { onSuccess: () => setDeleting(null) })}
        >
          <p>All messages in this topic will be deleted. Consumer groups keep their committed offsets until they expire.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
