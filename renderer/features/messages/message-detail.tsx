// Everything about one record: coordinates, time (local and epoch), key, value and headers in
// switchable formats.
import { useState } from 'react';
import type { KafkaMessage } from '../../../main/contract/index.ts';
import { ErrorView } from '../../components/error-view.tsx';
import { formatLocalTime } from '../../components/format.ts';
import { fetchOne } from '../../api/messages.ts';
import { PayloadView } from './payload-view.tsx';
import { render, detectFormat } from './payload-format.ts';

export function MessageDetail({ clusterId, topic, message, onClose }: { clusterId: string; topic: string; message: KafkaMessage; onClose: () => void }) {
  const [full, setFull] = useState<KafkaMessage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const m = full && full.offset === message.offset && full.partition === message.partition ? full : message;
  const loadFull = () => {
    setError(null);
    fetchOne(clusterId, topic, message.partition, message.offset)
      .then((r) => setFull(r.messages[0] ?? null))
      .catch(setError);
  };
  return (
    <aside className="message-detail" aria-label="Message detail">
      <header>
        <h2>
          Partition {m.partition} · offset {m.offset}
        </h2>
        <button className="icon" aria-label="Close detail" onClick={onClose}>
          ×
        </button>
      </header>
      <dl className="facts">
        <dt>Timestamp</dt>
        <dd>
          {formatLocalTime(m.timestamp)} <span className="muted mono">({m.timestamp})</span>
        </dd>
      </dl>
      <PayloadView key={`k-${m.partition}-${m.offset}`} label="Key" b64={m.key} size={m.keySize} />
      <PayloadView
        key={`v-${m.partition}-${m.offset}-${m.valueTruncated}`}
        label="Value"
        b64={m.value}
        size={m.valueSize}
        serverTruncated={m.valueTruncated}
        onLoadFull={loadFull}
      />
      <ErrorView error={error} />
      <section className="payload" aria-label="Headers">
        <div className="payload-head">
          <h3>Headers</h3>
          <span className="muted">{m.headers.length}</span>
        </div>
        {m.headers.length === 0 ? (
          <p className="muted">No headers</p>
        ) : (
          <table className="table compact">
            <tbody>
              {m.headers.map((h, i) => (
                <tr key={i} data-testid="header-row">
                  <th scope="row" className="mono">{h.key}</th>
                  <td className="mono pre">{h.value === null ? 'null' : render(h.value, detectFormat(h.value))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </aside>
  );
}
