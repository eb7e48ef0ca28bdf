// What a polled screen shows when a refresh fails. With nothing read yet: the error. With data
// from an earlier read: that data stays on screen, under a notice that the console is
// reconnecting and since when the data is (the screen keeps polling, so it heals by itself).
import { ErrorView, errorText } from './error-view.tsx';

interface PolledQuery {
  error: unknown;
  data: unknown;
  dataUpdatedAt: number;
}

export function QueryStatus({ query, title }: { query: PolledQuery; title?: string }) {
  if (!query.error) return null;
  if (query.data === undefined) return <ErrorView error={query.error} title={title} />;
  const { message } = errorText(query.error);
  const since = new Date(query.dataUpdatedAt).toLocaleTimeString();
  return (
    <div className="reconnecting" role="status">
      <span className="dot" /> Reconnecting… <span className="muted">{message}</span> Showing what was read at {since}.
    </div>
  );
}
