// Live tail over the WebSocket; keeps the newest MAX messages. The tail never gives up on an
// outage: `reconnecting` (with the reason) while partitions or the console server cannot be
// reached, back to live by itself; only an error the server will not retry ends it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KafkaMessage } from '../../../main/contract/index.ts';
import { stream } from '../../api/stream.ts';

const MAX = 5000;

export interface TailConnection {
  state: 'connecting' | 'live' | 'reconnecting';
  message: string | null;
}

export function useTail(clusterId: string, topic: string) {
  const [messages, setMessages] = useState<KafkaMessage[]>([]);
  const [running, setRunning] = useState(false);
  const [connection, setConnection] = useState<TailConnection>({ state: 'connecting', message: null });
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const stopRef = useRef<(() => void) | null>(null);

  const stop = useCallback(() => {
    stopRef.current?.();
    stopRef.current = null;
    setRunning(false);
  }, []);

  const start = useCallback(
    (partition: number | null) => {
      stopRef.current?.();
      setMessages([]);
      setError(null);
      setRunning(true);
      setConnection({ state: 'connecting', message: null });
      stopRef.current = stream.start({ type: 'tail.start', clusterId, topic, partition }, (m) => {
        if (m.type === 'tail.messages') setMessages((prev) => [...prev, ...m.messages].slice(-MAX));
        else if (m.type === 'tail.status') setConnection({ state: m.state, message: m.message });
        else if (m.type === 'error') {
          setError(m.error);
          setRunning(false);
          stopRef.current = null;
        }
      });
    },
    [clusterId, topic],
  );

  useEffect(() => () => stopRef.current?.(), []);
  return { messages, running, connection, error, start, stop };
}
