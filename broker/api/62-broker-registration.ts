// BrokerRegistration (key 62), versions 0-4: a node registers with the active controller on
// start (the Raft leader; others answer NOT_CONTROLLER). The registration is a metadata record;
// the broker stays fenced until its first heartbeat. The first listener is its endpoint.
// Deviations: features, log dirs and previousBrokerEpoch are ignored; the cluster id must match
// (INCONSISTENT_CLUSTER_ID otherwise).

import { ErrorCode } from '../protocol/errors.ts';
import { BrokerRegistration } from '../protocol/messages/broker-registration.ts';
import { defineHandler } from './types.ts';

export default defineHandler(BrokerRegistration, '0-4', async (req, ctx) => {
  const q = ctx.broker.quorum;
  const out = (errorCode: number, brokerEpoch = -1) => ({ throttleTimeMs: 0, errorCode, brokerEpoch });
  if (!q) return out(ErrorCode.NOT_CONTROLLER);
  if (req.clusterId !== q.clusterId) return out(ErrorCode.INCONSISTENT_CLUSTER_ID);
  const l = req.listeners[0];
  if (!l) return out(ErrorCode.INVALID_REQUEST);
  const r = await q.serveRegistration({ nodeId: req.brokerId, host: l.host, port: l.port, rack: req.rack });
  return out(r.errorCode, r.brokerEpoch);
});
