// Reset a group's offsets: choose topic and target (earliest, latest, time, offset), see the
// preview of every partition's move, then apply. Kafka refuses while the group has members; the
// dialog shows that message.
import { useState } from 'react';
import type { ResetOffsetsRequest, ResetOffsetsResponse } from '../../../main/contract/index.ts';
import { useResetOffsets } from '../../api/groups.ts';
import { Dialog } from '../../components/dialog.tsx';
import { ErrorView } from '../../components/error-view.tsx';
import { formatNumber, toDateTimeLocal } from '../../components/format.ts';

type Strategy = ResetOffsetsRequest['strategy'];

export function ResetOffsetsDialog({ clusterId, groupId, topics, onClose }: { clusterId: string; groupId: string; topics: string[]; onClose: () => void }) {
  const reset = useResetOffsets(clusterId, groupId);
  const [topic, setTopic] = useState<string>(topics[0] ?? '');
  const [strategy, setStrategy] = useState<Strategy>('earliest');
  const [time, setTime] = useState(() => toDateTimeLocal(Date.now() - 3600_000));
  const [offset, setOffset] = useState('0');
  const [preview, setPreview] = useState<ResetOffsetsResponse | null>(null);

  const request = (dryRun: boolean): ResetOffsetsRequest => ({
    topic: topic || null,
    strategy,
    dryRun,
    ...(strategy === 'timestamp' ? { timestamp: new Date(time).getTime() } : {}),
    ...(strategy === 'offset' ? { offset: Number(offset) } : {}),
  });
  const changed = () => setPreview(null);

  return (
    <Dialog
      title={`Reset offsets of ${groupId}`}
      onClose={onClose}
      wide
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button disabled={reset.isPending} onClick={() => reset.mutate(request(true), { onSuccess: setPreview })}>
            Preview
          </button>
          <button className="primary" disabled={!preview || reset.isPending} onClick={() => reset.mutate(request(false), { onSuccess: onClose })}>
            Reset offsets
          </button>
        </>
      }
    >
      <div className="toolbar">
        <label>
          Topic
          <select aria-label="Topic to reset" value={topic} onChange={(e) => (setTopic(e.target.value), changed())}>
            {topics.map((t) => (
              <option key={t}>{t}</option>
            ))}
            <option value="">All committed topics</option>
          </select>
        </label>
        <label>
          To
          <select aria-label="Reset strategy" value={strategy} onChange={(e) => (setStrategy(e.target.value as Strategy), changed())}>
            <option value="earliest">Earliest</option>
            <option value="latest">Latest</option>
            <option value="timestamp">Timestamp</option>
            <option value="offset">Offset</option>
          </select>
        </label>
        {strategy === 'timestamp' && (
          <label>
            Time (local)
            <input aria-label="Reset timestamp" type="datetime-local" step="1" value={time} onChange={(e) => (setTime(e.target.value), changed())} />
          </label>
        )}
        {strategy === 'offset' && (
          <label>
            Offset
            <input aria-label="Reset offset" inputMode="numeric" value={offset} onChange={(e) => (setOffset(e.target.value), changed())} />
          </label>
        )}
      </div>
      <ErrorView error={reset.error} />
      {preview ? (
        <table className="table compact" aria-label="Reset preview">
          <thead>
            <tr>
              <th>Topic</th>
              <th className="num">Partition</th>
              <th className="num">Current</th>
              <th className="num">New offset</th>
            </tr>
          </thead>
          <tbody>
            {preview.changes.map((c) => (
              <tr key={`${c.topic}-${c.partition}`}>
                <td>{c.topic}</td>
                <td className="num">{c.partition}</td>
                <td className="num">{formatNumber(c.current)}</td>
                <td className="num strong">{formatNumber(c.target)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Preview to see where each partition will move. The group must have no active members.</p>
      )}
    </Dialog>
  );
}
