// One topic: messages, produce, partitions, live metrics, configs and groups as tabs (the tab is in the URL).
import { useState } from 'react';
import { useDeleteTopic, useTopic } from '../../api/topics.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { QueryStatus } from '../../components/query-status.tsx';
import { formatNumber } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Link, navigate, useLocation } from '../../router.tsx';
import { MessagesPanel } from '../messages/messages-panel.tsx';
import { TOPIC_CHARTS } from '../metrics/chart-specs.ts';
import { MetricsPanel } from '../metrics/metrics-panel.tsx';
import { ProduceForm } from '../produce/produce-form.tsx';
import { AddPartitionsDialog } from './add-partitions-dialog.tsx';
import { ConfigsPanel } from './configs-panel.tsx';
import { PartitionsTable } from './partitions-table.tsx';
import { TopicGroups } from './topic-groups.tsx';

const TABS = ['messages', 'produce', 'partitions', 'metrics', 'configs', 'groups'] as const;
type Tab = (typeof TABS)[number];

export function TopicPage({ clusterId, topic }: { clusterId: string; topic: string }) {
  const { search } = useLocation();
  const tab: Tab = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as Tab) : 'messages';
  const detail = useTopic(clusterId, topic);
  const del = useDeleteTopic(clusterId);
  const [deleting, setDeleting] = useState(false);
  const [adding, setAdding] = useState(false);
  const base = `/topics/${encodeURIComponent(topic)}`;

  const parts = detail.data?.partitions ?? [];
  const total = parts.reduce((s, p) => s + (p.endOffset ?? 0) - (p.startOffset ?? 0), 0);

  return (
    <div className="page">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/topics">Topics</Link> / <span>{topic}</span>
      </nav>
      <PageHeader
        title={topic}
        subtitle={detail.data ? `${parts.length} partitions · replication ${parts[0]?.replicas.length ?? 0} · ${formatNumber(total)} messages` : undefined}
        actions={
          detail.data && !detail.data.internal ? (
            <>
              <button onClick={() => setAdding(true)}>Add partitions</button>
              <button className="danger" onClick={() => setDeleting(true)}>
                Delete topic
              </button>
            </>
          ) : undefined
        }
      />
      <QueryStatus query={detail} />
      {detail.data && (
        <>
          <div className="tabs" role="tablist">
            {TABS.map((t) => (
              <button key={t} role="tab" data-learn-target={`topic-tab:${t}`} aria-selected={t === tab} className={t === tab ? 'active' : ''} onClick={() => navigate(`${base}?tab=${t}`, { replace: true })}>
                {t[0].toUpperCase() + t.slice(1)}
              </button>
            ))}
          </div>
          <div role="tabpanel" className="tab-panel">
            {tab === 'messages' && <MessagesPanel clusterId={clusterId} topic={topic} partitions={parts.length} />}
            {tab === 'produce' && <ProduceForm clusterId={clusterId} topic={topic} partitions={parts.length} />}
            {tab === 'partitions' && <PartitionsTable partitions={parts} />}
            {tab === 'metrics' && <MetricsPanel clusterId={clusterId} view="topic" topic={topic} charts={TOPIC_CHARTS} />}
            {tab === 'configs' && <ConfigsPanel clusterId={clusterId} topic={topic} />}
            {tab === 'groups' && <TopicGroups clusterId={clusterId} topic={topic} />}
          </div>
        </>
      )}
      {adding && <AddPartitionsDialog clusterId={clusterId} topic={topic} current={parts.length} onClose={() => setAdding(false)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete topic ${topic}`}
          name={topic}
          action="Delete topic"
          busy={del.isPending}
          error={del.error}
          onClose={() => setDeleting(false)}
          onConfirm={() => del.mutate(topic, { onSuccess: () => navigate('/topics') })}
        >
          <p>All messages in this topic will be deleted.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
