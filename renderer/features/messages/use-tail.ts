// Live tail over the WebSocket; keeps the newest MAX messages.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KafkaMessage } from '../../../main/contract/index.ts';
import { stream } from '../../api/stream.ts';

const MAX = 5000;

export function useTail(clusterId: string, topic: string) {
  const [messages, setMessages] = useState<KafkaMessage[]>([]);
  const [running, setRunning] = useState(false);
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
      stopRef.current = stream.start({ type: 'tail.start', clusterId, topic, partition }, (m) => {
        if (m.type === 'tail.messages') setMessages((prev) => [...prev, ...m.messages].slice(-MAX));
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
  return { messages, running, error, start, stop };
}
