import { api, array, struct, T } from '../schema.ts';

export const FindCoordinator = api(
  10,
  'FindCoordinator',
  { versions: '0-6', flexible: 3 },
  {
    key: { type: T.string, v: '0-3' },
    keyType: { type: T.int8, v: '1+' },
    coordinatorKeys: { type: array(T.string), v: '4+' },
  },
  {
    throttleTimeMs: { type: T.int32, v: '1+' },
    errorCode: { type: T.int16, v: '0-3' },
    errorMessage: { type: T.nstring, v: '1-3' },
    nodeId: { type: T.int32, v: '0-3' },
    host: { type: T.string, v: '0-3' },
    port: { type: T.int32, v: '0-3' },
    coordinators: {
      type: array(
        struct({
          key: T.string,
          nodeId: T.int32,
          host: T.string,
          port: T.int32,
          errorCode: T.int16,
          errorMessage: T.nstring,
        }),
      ),
      v: '4+',
    },
  },
);
