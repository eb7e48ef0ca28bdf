// The failover demo: its counters arrive over the stream socket (and stay through a lost
// socket, marked reconnecting); start, stop and "kill the leader of partition 0" are plain calls.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FailoverDemoMode, FailoverDemoStats } from '../../main/contract/index.ts';
import { call } from './client.ts';
import type { Live } from './cluster-control.ts';
import { stream } from './stream.ts';

export function useFailoverDemoStats(clusterId: string): Live<FailoverDemoStats> {
  const [live, setLive] = useState<Live<FailoverDemoStats>>({ data: null, reconnecting: null, error: null });
  useEffect(() => {
    setLive({ data: null, reconnecting: null, error: null });
    return stream.start({ type: 'demo.subscribe', clusterId }, (m) => {
      if (m.type === 'demo.stats') setLive({ data: m.stats, reconnecting: null, error: null });
      else if (m.type === 'error' && m.error.code === 'RECONNECTING') setLive((l) => ({ ...l, reconnecting: m.error.message }));
      else if (m.type === 'error') setLive((l) => ({ ...l, error: m.error }));
    });
  }, [clusterId]);
  return live;
}

export function useFailoverDemoControl(clusterId: string) {
  return {
    start: useMutation({ mutationFn: (mode: FailoverDemoMode) => call('failoverDemoStart', { clusterId }, { mode }) }),
    stop: useMutation({ mutationFn: () => call('failoverDemoStop', { clusterId }, {}) }),
    killLeader: useMutation({ mutationFn: () => call('failoverDemoKillLeader', { clusterId }, {}) }),
  };
}
