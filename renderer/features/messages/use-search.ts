// Server-side search over the WebSocket: progress, streamed matches, stop.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KafkaMessage } from '../../../main/contract/index.ts';
import { stream } from '../../api/stream.ts';

export interface SearchState {
  running: boolean;
  scanned: number;
  total: number;
  matches: KafkaMessage[];
  error: { code: string; message: string } | null;
  done: boolean;
}

const idle: SearchState = { running: false, scanned: 0, total: 0, matches: [], error: null, done: false };

export function useSearch(clusterId: string, topic: string) {
  const [state, setState] = useState<SearchState>(idle);
  const stopRef = useRef<(() => void) | null>(null);

  const stop = useCallback(() => {
    stopRef.current?.();
    stopRef.current = null;
    setState((s) => ({ ...s, running: false }));
  }, []);

  const start = useCallback(
    (query: string, partition: number | null) => {
      stopRef.current?.();
      setState({ ...idle, running: true });
      stopRef.current = stream.start({ type: 'search.start', clusterId, topic, query, partition }, (m) => {
        if (m.type === 'search.progress') setState((s) => ({ ...s, scanned: m.scanned, total: m.total }));
        else if (m.type === 'search.match') setState((s) => ({ ...s, matches: [...s.matches, ...m.messages] }));
        else if (m.type === 'search.done') {
          setState((s) => ({ ...s, scanned: m.scanned, total: m.total, running: false, done: true }));
          stopRef.current = null;
        } else if (m.type === 'error') {
          setState((s) => ({ ...s, running: false, error: m.error }));
          stopRef.current = null;
        }
      });
    },
    [clusterId, topic],
  );

  const clear = useCallback(() => {
    stop();
    setState(idle);
  }, [stop]);

  useEffect(() => () => stopRef.current?.(), []);
  return { state, start, stop, clear };
}
