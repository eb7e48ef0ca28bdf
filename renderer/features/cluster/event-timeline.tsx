// The cluster's history as the supervisor and the committed metadata log tell it (never guessed
// by the UI): node kills and restarts, fencing, controller elections, leader and ISR changes,
// reassignments. Newest first, filterable by kind and text, live.
import { useState } from 'react';
import type { ClusterEvent } from '../../../main/contract/index.ts';
import { formatLocalTime } from '../../components/format.ts';
import { filterEvents, type EventGroup } from './replica-map-model.ts';

const GROUPS: { group: EventGroup; label: string }[] = [
  { group: 'nodes', label: 'Nodes' },
  { group: 'brokers', label: 'Fencing' },
  { group: 'controller', label: 'Controller' },
  { group: 'leaders', label: 'Leaders' },
  { group: 'isr', label: 'ISR' },
  { group: 'reassignments', label: 'Reassignments' },
  { group: 'topics', label: 'Topics' },
];
const SHOWN = 500;

const tone = (e: ClusterEvent) =>
  e.kind === 'node-killed' || e.kind === 'node-exited' || e.kind === 'partition-offline' || e.kind === 'broker-fenced' || e.kind === 'isr-shrunk'
    ? 'bad'
    : e.kind === 'node-paused' || e.kind === 'leader-changed' || e.kind === 'controller-elected'
      ? 'warn'
      : 'ok';

export function EventTimeline({ events }: { events: ClusterEvent[] }) {
  const [groups, setGroups] = useState<ReadonlySet<EventGroup>>(new Set());
  const [text, setText] = useState('');
  const shown = filterEvents(events, { groups, text });
  const toggle = (g: EventGroup) =>
    setGroups((s) => {
      const next = new Set(s);
      if (!next.delete(g)) next.add(g);
      return next;
    });
  return (
    <section aria-label="Event timeline">
      <div className="toolbar">
        <label>
          Filter events
          <input aria-label="Filter events" value={text} onChange={(e) => setText(e.target.value)} placeholder="node 2, orders, leader…" />
        </label>
        {GROUPS.map(({ group, label }) => (
          <label key={group} className="check">
            <input type="checkbox" checked={groups.has(group)} onChange={() => toggle(group)} /> {label}
          </label>
        ))}
      </div>
      <ol className="timeline" aria-label="Events">
        {shown.slice(0, SHOWN).map((e) => (
          <li key={e.seq} data-testid="timeline-event" data-kind={e.kind}>
            <time className="mono muted" dateTime={new Date(e.at).toISOString()}>
              {formatLocalTime(e.at)}
            </time>
            <span className={`badge ${tone(e)}`}>{e.kind}</span>
            <span>{e.text}</span>
            <span className="muted small">{e.source === 'supervisor' ? 'supervisor' : `metadata @${e.offset}`}</span>
          </li>
        ))}
      </ol>
      {shown.length === 0 && <p className="muted">{events.length ? 'No event matches the filter.' : 'Nothing has happened yet.'}</p>}
      {shown.length > SHOWN && <p className="muted small">Showing the newest {SHOWN} of {shown.length}.</p>}
    </section>
  );
}
