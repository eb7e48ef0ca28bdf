// Topic configs with their source (topic override vs broker/default); edit a value or reset it
// to the default. Kafka validates, and its message is shown.
import { useState } from 'react';
import { useAlterConfigs, useTopicConfigs } from '../../api/topics.ts';
import { topicConfigDocUrl } from '../../../main/contract/index.ts';
import { ErrorView } from '../../components/error-view.tsx';
import { ExternalLink } from '../../components/external-link.tsx';

const SOURCE_LABEL: Record<string, string> = {
  DYNAMIC_TOPIC_CONFIG: 'topic override',
  DEFAULT_CONFIG: 'default',
  STATIC_BROKER_CONFIG: 'broker config',
  DYNAMIC_BROKER_CONFIG: 'broker (dynamic)',
  DYNAMIC_DEFAULT_BROKER_CONFIG: 'cluster default',
};

export function ConfigsPanel({ clusterId, topic }: { clusterId: string; topic: string }) {
  const configs = useTopicConfigs(clusterId, topic);
  const alter = useAlterConfigs(clusterId, topic);
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [filter, setFilter] = useState('');

  const rows = (configs.data?.configs ?? []).filter((c) => c.name.includes(filter.trim()));
  const save = (name: string) => alter.mutate({ set: { [name]: draft } }, { onSuccess: () => setEditing(null) });

  return (
    <div>
      <div className="toolbar">
        <input type="search" aria-label="Filter configs" placeholder="Filter configs…" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <ErrorView error={configs.error} />
      <ErrorView error={alter.error} />
      <table className="table" aria-label="Configs">
        <thead>
          <tr>
            <th>Name</th>
            <th>Value</th>
            <th>Source</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.name} className={c.source === 'DYNAMIC_TOPIC_CONFIG' ? 'highlight' : ''}>
              <td className="mono" title={c.documentation ?? undefined}>
                {c.name}{' '}
                <ExternalLink href={topicConfigDocUrl(c.name)} label={`Kafka documentation of ${c.name}`}>
                  <span className="doc-link">docs ↗</span>
                </ExternalLink>
              </td>
              <td className="mono">
                {editing === c.name ? (
                  <form
                    className="inline-edit"
                    onSubmit={(e) => {
                      e.preventDefault();
                      save(c.name);
                    }}
                  >
                    <input aria-label={`Value of ${c.name}`} value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus />
                    <button type="submit" className="primary" disabled={alter.isPending}>
                      Save
                    </button>
                    <button type="button" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </form>
                ) : c.sensitive ? (
                  '••••••'
                ) : (
                  (c.value ?? <em className="muted">null</em>)
                )}
              </td>
              <td>
                <span className={`badge ${c.source === 'DYNAMIC_TOPIC_CONFIG' ? 'info' : ''}`}>{SOURCE_LABEL[c.source] ?? c.source}</span>
              </td>
              <td className="row-actions">
                {!c.readOnly && editing !== c.name && (
                  <button
                    className="ghost"
                    aria-label={`Edit ${c.name}`}
                    onClick={() => {
                      alter.reset();
                      setEditing(c.name);
                      setDraft(c.value ?? '');
                    }}
                  >
                    Edit
                  </button>
                )}
                {c.source === 'DYNAMIC_TOPIC_CONFIG' && editing !== c.name && (
                  <button className="ghost" aria-label={`Reset ${c.name}`} onClick={() => alter.mutate({ reset: [c.name] })}>
                    Reset
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
