// Virtualized message rows (@tanstack/react-virtual): thousands of records stay smooth because
// only the visible rows exist in the DOM.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { KafkaMessage } from '../../../main/contract/index.ts';
import { formatLocalTime } from '../../components/format.ts';
import { preview } from './payload-format.ts';

const ROW = 36;

export const messageId = (m: KafkaMessage) => `${m.partition}-${m.offset}`;

export function MessageList({
  messages,
  selected,
  onSelect,
}: {
  messages: KafkaMessage[];
  selected: string | null;
  onSelect: (m: KafkaMessage) => void;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: messages.length, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 12 });
  return (
    <div className="message-list" role="table" aria-label="Messages" aria-rowcount={messages.length}>
      <div className="message-row head" role="row">
        <span role="columnheader">Partition</span>
        <span role="columnheader">Offset</span>
        <span role="columnheader">Timestamp</span>
        <span role="columnheader">Key</span>
        <span role="columnheader">Value</span>
        <span role="columnheader">Headers</span>
      </div>
      <div className="message-scroll" ref={parent}>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const m = messages[item.index];
            const id = messageId(m);
            return (
              <div
                key={id}
                role="row"
                aria-selected={selected === id}
                data-testid="message-row"
                className={`message-row${selected === id ? ' selected' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${item.start}px)` }}
                onClick={() => onSelect(m)}
                tabIndex={0}
                onKeyDown={(e) => e.key === 'Enter' && onSelect(m)}
              >
                <span role="cell">{m.partition}</span>
                <span role="cell" className="mono">
                  {m.offset}
                  {m.transactional && !m.control && <span className="badge info">txn</span>}
                </span>
                <span role="cell" title={`${m.timestamp} ms since epoch`}>{formatLocalTime(m.timestamp)}</span>
                <span role="cell" className="mono ellipsis">{m.key === null ? <em className="muted">null</em> : preview(m.key, 80)}</span>
                <span role="cell" className="mono ellipsis">
                  {m.control ? (
                    <span className={`badge ${m.control === 'COMMIT' ? 'ok' : 'bad'}`}>{m.control === 'COMMIT' ? 'Commit marker' : 'Abort marker'}</span>
                  ) : m.value === null ? (
                    <em className="muted">null</em>
                  ) : (
                    preview(m.value)
                  )}
                </span>
                <span role="cell">{m.headers.length || ''}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
