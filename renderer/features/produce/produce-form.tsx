// Produce records from the console: key, value (text, JSON, base64 or hex), headers, a fixed
// partition or the client's partitioner, repeated N times.
import { useState } from 'react';
import type { PayloadEncoding } from '../../../main/contract/index.ts';
import { useProduce } from '../../api/messages.ts';
import { ErrorView } from '../../components/error-view.tsx';

interface HeaderRow {
  key: string;
  value: string;
}

export function ProduceForm({ clusterId, topic, partitions }: { clusterId: string; topic: string; partitions: number }) {
  const produce = useProduce(clusterId, topic);
  const [key, setKey] = useState('');
  const [nullKey, setNullKey] = useState(false);
  const [value, setValue] = useState('');
  const [encoding, setEncoding] = useState<PayloadEncoding>('utf8');
  const [headers, setHeaders] = useState<HeaderRow[]>([]);
  const [partition, setPartition] = useState('auto');
  const [repeat, setRepeat] = useState(1);

  const submit = () => {
    produce.mutate({
      key: nullKey ? null : key,
      value,
      keyEncoding: 'utf8',
      valueEncoding: encoding,
      headers: headers.filter((h) => h.key.trim()),
      partition: partition === 'auto' ? null : Number(partition),
      repeat,
    });
  };

  const setHeader = (i: number, patch: Partial<HeaderRow>) => setHeaders((hs) => hs.map((h, j) => (j === i ? { ...h, ...patch } : h)));

  return (
    <form
      className="produce-form"
      aria-label="Produce a message"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="grid-2">
        <label className="field">
          <span>Key</span>
          <input aria-label="Key" value={key} disabled={nullKey} onChange={(e) => setKey(e.target.value)} placeholder="(empty)" />
        </label>
        <label className="check">
          <input type="checkbox" checked={nullKey} onChange={(e) => setNullKey(e.target.checked)} /> null key
        </label>
      </div>
      <label className="field">
        <span>Value</span>
        <textarea aria-label="Value" rows={8} value={value} onChange={(e) => setValue(e.target.value)} className="mono" placeholder='{"hello": "world"}' />
      </label>
      <div className="toolbar">
        <label>
          Value encoding
          <select aria-label="Value encoding" value={encoding} onChange={(e) => setEncoding(e.target.value as PayloadEncoding)}>
            <option value="utf8">Text (UTF-8)</option>
            <option value="base64">Base64</option>
            <option value="hex">Hex</option>
          </select>
        </label>
        <label>
          Partition
          <select aria-label="Target partition" value={partition} onChange={(e) => setPartition(e.target.value)}>
            <option value="auto">Automatic (by key)</option>
            {Array.from({ length: partitions }, (_, i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
        <label>
          Repeat
          <input aria-label="Repeat" type="number" min={1} max={100000} value={repeat} onChange={(e) => setRepeat(Math.max(1, Number(e.target.value) || 1))} />
        </label>
      </div>
      <fieldset className="headers">
        <legend>Headers</legend>
        {headers.map((h, i) => (
          <div className="header-edit" key={i}>
            <input aria-label={`Header ${i + 1} key`} placeholder="key" value={h.key} onChange={(e) => setHeader(i, { key: e.target.value })} />
            <input aria-label={`Header ${i + 1} value`} placeholder="value" value={h.value} onChange={(e) => setHeader(i, { value: e.target.value })} />
            <button type="button" className="icon" aria-label={`Remove header ${i + 1}`} onClick={() => setHeaders((hs) => hs.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        ))}
        <button type="button" className="link" onClick={() => setHeaders((hs) => [...hs, { key: '', value: '' }])}>
          + Add header
        </button>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={produce.isPending}>
          {produce.isPending ? 'Producing…' : 'Produce'}
        </button>
        {produce.isSuccess && (
          <span className="success" role="status">
            Produced {produce.data.count} message{produce.data.count === 1 ? '' : 's'}
            {produce.data.partitions.length > 0 &&
              ' · ' + produce.data.partitions.map((p) => `partition ${p.partition} from offset ${p.firstOffset}`).join(', ')}
          </span>
        )}
      </div>
      <ErrorView error={produce.error} />
    </form>
  );
}
