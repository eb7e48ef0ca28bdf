// The browse form: partition, where to start (latest, earliest, offset, time), how many, and a
// filter read on the server (filter-text.ts: field=value words and text).
import { useState } from 'react';
import type { BrowseRequest, Seek } from '../../../main/contract/index.ts';
import { toDateTimeLocal } from '../../components/format.ts';
import { parseFilter } from './filter-text.ts';

type Mode = Seek['mode'];

export function SeekControls({ partitions, onApply, busy }: { partitions: number; onApply: (r: BrowseRequest) => void; busy: boolean }) {
  const [partition, setPartition] = useState<string>('all');
  const [mode, setMode] = useState<Mode>('latest');
  const [offset, setOffset] = useState('0');
  const [time, setTime] = useState(() => toDateTimeLocal(Date.now() - 3600_000));
  const [limit, setLimit] = useState(100);
  const [filter, setFilter] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);

  const apply = () => {
    let seek: Seek;
    if (mode === 'offset') {
      const n = Number(offset);
      if (!Number.isInteger(n) || n < 0) return setInvalid('Offset must be a whole number ≥ 0');
      seek = { mode, offset: n };
    } else if (mode === 'timestamp') {
      const ms = /^\d+$/.test(time.trim()) ? Number(time.trim()) : new Date(time).getTime();
      if (!Number.isFinite(ms) || ms < 0) return setInvalid('Pick a valid date and time');
      seek = { mode, timestamp: ms };
    } else seek = { mode };
    setInvalid(null);
    onApply({ partition: partition === 'all' ? null : Number(partition), seek, limit, filter: parseFilter(filter) });
  };

  return (
    <form
      className="toolbar"
      aria-label="Browse messages"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label>
        Partition
        <select value={partition} onChange={(e) => setPartition(e.target.value)} aria-label="Partition">
          <option value="all">All</option>
          {Array.from({ length: partitions }, (_, i) => (
            <option key={i} value={i}>
              {i}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <select value={mode} onChange={(e) => setMode(e.target.value as Mode)} aria-label="Seek mode">
          <option value="latest">Latest</option>
          <option value="earliest">Earliest</option>
          <option value="offset">Offset</option>
          <option value="timestamp">Timestamp</option>
        </select>
      </label>
      {mode === 'offset' && (
        <label>
          Offset
          <input aria-label="Offset" inputMode="numeric" value={offset} onChange={(e) => setOffset(e.target.value)} size={10} />
        </label>
      )}
      {mode === 'timestamp' && (
        <label>
          Time (local)
          <input aria-label="Timestamp" type="datetime-local" step="1" value={time} onChange={(e) => setTime(e.target.value)} />
        </label>
      )}
      <label>
        Limit
        <select value={limit} onChange={(e) => setLimit(Number(e.target.value))} aria-label="Limit">
          {[20, 100, 500, 1000, 5000].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label title="field=value words match fields of a JSON value (level=ERROR service=payments); other words are text the key, value or a header contains">
        Filter
        <input aria-label="Filter" data-learn-target="message-filter" placeholder="level=ERROR service=payments" value={filter} onChange={(e) => setFilter(e.target.value)} size={28} />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Loading…' : 'Load'}
      </button>
      {invalid && (
        <span className="error-inline" role="alert">
          {invalid}
        </span>
      )}
    </form>
  );
}
