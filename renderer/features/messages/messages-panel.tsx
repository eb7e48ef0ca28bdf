// The Messages screen of a topic: browse with seek modes, server-side search with progress, and
// live tail, all feeding one virtualized list with a detail pane. Browsing reads as a consumer
// would, read_uncommitted or read_committed; transactional records are marked and the
// transaction markers are shown only when asked (search and live tail read uncommitted and skip
// the markers).
import { useState } from 'react';
import type { BrowseRequest, Isolation, KafkaMessage } from '../../../main/contract/index.ts';
import { useBrowse } from '../../api/messages.ts';
import { ErrorView } from '../../components/error-view.tsx';
import { formatNumber } from '../../components/format.ts';
import { MessageDetail } from './message-detail.tsx';
import { MessageList, messageId } from './message-list.tsx';
import { SeekControls } from './seek-controls.tsx';
import { useSearch } from './use-search.ts';
import { useTail } from './use-tail.ts';

type View = 'browse' | 'search' | 'tail';

export function MessagesPanel({ clusterId, topic, partitions }: { clusterId: string; topic: string; partitions: number }) {
  const [request, setRequest] = useState<BrowseRequest>({ partition: null, seek: { mode: 'latest' }, limit: 100 });
  const [view, setView] = useState<View>('browse');
  const [selected, setSelected] = useState<KafkaMessage | null>(null);
  const [query, setQuery] = useState('');
  // How a consumer would see the topic: kept apart from the seek request, which SeekControls builds.
  const [isolation, setIsolation] = useState<Isolation>('read_uncommitted');
  const [showControl, setShowControl] = useState(false);
  const browse = useBrowse(clusterId, topic, { ...request, isolation, showControl }, view === 'browse');
  const search = useSearch(clusterId, topic);
  const tail = useTail(clusterId, topic);

  const messages =
    view === 'search' ? search.state.matches : view === 'tail' ? tail.messages : (browse.data?.messages ?? []);

  const toBrowse = (r: BrowseRequest) => {
    search.clear();
    tail.stop();
    setView('browse');
    // A new request is fetched by its new query key; refetching here would also reload the old
    // page. Only "Load" again with the same settings needs an explicit refetch.
    if (JSON.stringify(r) === JSON.stringify(request)) void browse.refetch();
    else setRequest(r);
  };

  const startSearch = () => {
    if (!query.trim()) return;
    tail.stop();
    setView('search');
    setSelected(null);
    search.start(query.trim(), request.partition ?? null);
  };

  const toggleTail = () => {
    if (tail.running) return tail.stop();
    search.clear();
    setView('tail');
    setSelected(null);
    tail.start(request.partition ?? null);
  };

  const pct = search.state.total ? Math.min(100, Math.round((search.state.scanned / search.state.total) * 100)) : search.state.done ? 100 : 0;

  return (
    <div className="messages-panel">
      <SeekControls partitions={partitions} onApply={toBrowse} busy={view === 'browse' && browse.isFetching} />
      <div className="toolbar">
        <form
          className="search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            startSearch();
          }}
        >
          <input
            type="search"
            aria-label="Search messages"
            placeholder="Search key, value and headers on the server…"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          {search.state.running ? (
            <button type="button" onClick={search.stop}>
              Stop
            </button>
          ) : (
            <button type="submit" disabled={!query.trim()}>
              Search
            </button>
          )}
        </form>
        <label title="As a consumer's isolation.level: read_committed stops at the last stable offset and skips aborted transactions">
          <select aria-label="Isolation level" value={isolation} onChange={(e) => setIsolation(e.target.value === 'read_committed' ? 'read_committed' : 'read_uncommitted')}>
            <option value="read_uncommitted">read_uncommitted</option>
            <option value="read_committed">read_committed</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={showControl} onChange={(e) => setShowControl(e.target.checked)} /> Transaction markers
        </label>
        <button className={tail.running ? 'live on' : 'live'} aria-pressed={tail.running} onClick={toggleTail}>
          <span className="dot" /> {tail.running ? 'Live — stop' : 'Live tail'}
        </button>
      </div>

      {view === 'search' && (
        <div className="status-line" aria-live="polite">
          <div className="progress" role="progressbar" aria-label="Search progress" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
            <div style={{ width: `${pct}%` }} />
          </div>
          <span>
            {search.state.running ? 'Searching' : 'Searched'} {formatNumber(search.state.scanned)} of {formatNumber(search.state.total)} messages ·{' '}
            {formatNumber(search.state.matches.length)} matches
          </span>
          <button className="link" onClick={() => toBrowse(request)}>
            Back to browsing
          </button>
        </div>
      )}
      {view === 'tail' && (
        <div className="status-line" aria-live="polite" data-testid="tail-status">
          {!tail.running ? 'Tail stopped' : tail.connection.state === 'reconnecting' ? 'Reconnecting' : 'Waiting for new messages'} ·{' '}
          {formatNumber(tail.messages.length)} received
        </div>
      )}
      {view === 'tail' && tail.running && tail.connection.state === 'reconnecting' && (
        <div className="reconnecting" role="status">
          <span className="dot" /> The tail is reconnecting and resumes where it stopped. <span className="muted">{tail.connection.message}</span>
        </div>
      )}
      {view === 'browse' && browse.data && (
        <div className="status-line">
          {formatNumber(browse.data.messages.length)} messages
          {browse.data.scanned !== undefined && <> matching the filter, of {formatNumber(browse.data.scanned)} read</>} · offsets{' '}
          {browse.data.partitions.map((p) => `p${p.partition} ${p.startOffset}–${p.endOffset}`).join(', ')}
        </div>
      )}

      <ErrorView error={view === 'browse' ? browse.error : null} />
      {view === 'search' && search.state.error && <ErrorView error={Object.assign(new Error(search.state.error.message), search.state.error)} />}
      {view === 'tail' && tail.error && <ErrorView error={Object.assign(new Error(tail.error.message), tail.error)} />}

      <div className="messages-split">
        {messages.length === 0 && !(view === 'browse' && browse.isLoading) ? (
          <div className="empty">No messages{view === 'search' && search.state.done ? ' match' : ''}.</div>
        ) : (
          <MessageList messages={messages} selected={selected ? messageId(selected) : null} onSelect={setSelected} />
        )}
        {selected && <MessageDetail clusterId={clusterId} topic={topic} message={selected} onClose={() => setSelected(null)} />}
      </div>
    </div>
  );
}
