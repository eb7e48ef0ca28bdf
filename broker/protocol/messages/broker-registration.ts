import { api, array, struct, T } from '../schema.ts';

export const BrokerRegistration = api(
  62,
  'BrokerRegistration',
  { versions: '0-4', flexible: 0, listeners: ['controller'] },
  {
    brokerId: T.int32,
    clusterId: T.string,
    incarnationId: T.uuid,
    listeners: array(
      struct({
        name: T.string,
        host: T.string,
        port: T.uint16,
        securityProtocol: T.int16,
      }),
    ),
    features: array(
      struct({
        name: T.string,
        minSupportedVersion: T.int16,
        maxSupportedVersion: T.int16,
      }),
    ),
    rack: T.nstring,
    isMigratingZkBroker: { type: T.bool, v: '1+' },
    logDirs: { type: array(T.uuid), v: '2+' },
    previousBrokerEpoch: { type: T.int64, v: '3+', default: -1 },
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    brokerEpoch: { type: T.int64, default: -1 },
  },
);
