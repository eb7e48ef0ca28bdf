import { api, array, T } from '../schema.ts';

export const BrokerHeartbeat = api(
  63,
  'BrokerHeartbeat',
  { versions: '0-1', flexible: 0, listeners: ['controller'] },
  {
    brokerId: T.int32,
    brokerEpoch: { type: T.int64, default: -1 },
    currentMetadataOffset: T.int64,
    wantFence: T.bool,
    wantShutDown: T.bool,
    offlineLogDirs: { type: array(T.uuid), v: '1+', tag: 0 },
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    isCaughtUp: T.bool,
    isFenced: { type: T.bool, default: true },
    shouldShutDown: T.bool,
  },
);
