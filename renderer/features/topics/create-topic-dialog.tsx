// Create a topic: name, partitions, replication factor, and configs picked from Kafka's names
// with their defaults shown. Kafka validates the name and configs; its message is shown as is.
import { useState } from 'react';
import { TOPIC_CONFIG_CATALOG } from '../../../main/contract/index.ts';
import { useCreateTopic } from '../../api/topics.ts';
import { FormDialog } from '../../components/form-dialog.tsx';

interface ConfigRow {
  name: string;
  value: string;
}

export function CreateTopicDialog({ clusterId, onClose, onCreated }: { clusterId: string; onClose: () => void; onCreated: (name: string) => void }) {
  const create = useCreateTopic(clusterId);
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState(1);
  const [rf, setRf] = useState(-1);
  const [configs, setConfigs] = useState<ConfigRow[]>([]);

  const unused = TOPIC_CONFIG_CATALOG.filter((c) => !configs.some((r) => r.name === c.name));
  const submit = () =>
    create.mutate(
      {
        name: name.trim(),
        partitions,
        replicationFactor: rf,
        configs: Object.fromEntries(configs.filter((c) => c.name).map((c) => [c.name, c.value])),
      },
      { onSuccess: (t) => onCreated(t.name) },
    );

  return (
    <FormDialog
      title="Create topic"
      onClose={onClose}
      wide
      onSubmit={submit}
      submitLabel="Create"
      pendingLabel="Creating…"
      pending={create.isPending}
      disabled={!name.trim()}
      error={create.error}
    >
        <label className="field">
          <span>Name</span>
          <input aria-label="Topic name" value={name} onChange={(e) => setName(e.target.value)} placeholder="orders" autoComplete="off" />
        </label>
        <div className="grid-2">
          <label className="field">
            <span>Partitions</span>
            <input aria-label="Partitions" type="number" min={1} value={partitions} onChange={(e) => setPartitions(Number(e.target.value))} />
          </label>
          <label className="field">
            <span>Replication factor</span>
            <select aria-label="Replication factor" value={rf} onChange={(e) => setRf(Number(e.target.value))}>
              <option value={-1}>Cluster default</option>
              {[1, 2, 3, 4, 5].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="headers">
          <legend>Configs</legend>
          {configs.map((c, i) => {
            const hint = TOPIC_CONFIG_CATALOG.find((h) => h.name === c.name);
            return (
              <div className="config-edit" key={c.name}>
                <code title={hint?.doc}>{c.name}</code>
                {hint?.values ? (
                  <select aria-label={c.name} value={c.value} onChange={(e) => setConfigs((cs) => cs.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}>
                    {hint.values.map((v) => (
                      <option key={v}>{v}</option>
                    ))}
                  </select>
                ) : (
                  <input aria-label={c.name} value={c.value} onChange={(e) => setConfigs((cs) => cs.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
                )}
                <span className="muted small">default {hint?.defaultValue}</span>
                <button type="button" className="icon" aria-label={`Remove ${c.name}`} onClick={() => setConfigs((cs) => cs.filter((_, j) => j !== i))}>
                  ×
                </button>
              </div>
            );
          })}
          {unused.length > 0 && (
            <select
              aria-label="Add config"
              value=""
              onChange={(e) => {
                const hint = TOPIC_CONFIG_CATALOG.find((h) => h.name === e.target.value);
                if (hint) setConfigs((cs) => [...cs, { name: hint.name, value: hint.defaultValue }]);
              }}
            >
              <option value="">+ Add config…</option>
              {unused.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} (default {c.defaultValue})
                </option>
              ))}
            </select>
          )}
        </fieldset>
    </FormDialog>
  );
}
