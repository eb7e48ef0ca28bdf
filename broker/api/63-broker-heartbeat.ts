// BrokerHeartbeat (key 63), versions 0-1: every node heartbeats the active controller every
// ~250 ms; a fenced broker is unfenced by its next heartbeat, and one that misses them for the
// session timeout (~1 s) is fenced. Non-controllers answer NOT_CONTROLLER.
// wantShutDown is a controlled shutdown: the broker is fenced at once and its partitions get new
// leaders before it stops. currentMetadataOffset is the last metadata record the broker has
// applied: a fenced broker is unfenced once it has applied its own registration (isCaughtUp),
// and admin changes wait for every live broker's offset (metadata/controller.ts).
// offlineLogDirs (v1) non-empty: the broker's log dir failed (log/log-dir.ts); the controller
// moves its leadership to other ISR members and drops it from the ISRs (metadata/controller.ts).
// wantFence (without wantShutDown): the broker is fenced at once and its partitions get new
// leaders, if brokerEpoch is its current registration's (STALE_BROKER_EPOCH otherwise, nothing
// fenced). Deviation: the supervisor sends it on behalf of a node whose process it saw die
// (kill -9, crash; broker/supervisor/death-report.ts), where Kafka has no supervisor and fences a
// dead broker only when its session times out.
// Deviations: broker epochs are checked on wantFence only; a log dir is reported offline as a
// whole (one per node), never back online without a new registration.

import { ErrorCode } from '../protocol/errors.ts';
import { BrokerHeartbeat } from '../protocol/messages/broker-heartbeat.ts';
import { defineHandler } from './types.ts';

export default defineHandler(BrokerHeartbeat, '0-1', async (req, ctx) => {
  const q = ctx.broker.quorum;
  if (!q)
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NOT_CONTROLLER,
      isCaughtUp: false,
      isFenced: true,
      shouldShutDown: false,
    };
  const r = await q.serveHeartbeat(req);
  return {
    throttleTimeMs: 0,
    errorCode: r.errorCode,
    isCaughtUp: r.errorCode === ErrorCode.NONE && !r.isFenced,
    isFenced: r.isFenced,
    shouldShutDown: req.wantShutDown && r.errorCode === 0,
  };
});
