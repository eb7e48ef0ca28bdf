import { api, array, narray, struct, T } from '../schema.ts';

export const CreateTopics = api(
  19,
  'CreateTopics',
  { versions: '0-7', flexible: 5, listeners: ['broker', 'controller'] },
  {
    topics: array(
      struct({
        name: T.string,
        numPartitions: T.int32,
        replicationFactor: T.int16,
        assignments: array(struct({ partitionIndex: T.int32, brokerIds: array(T.int32) })),
        configs: array(struct({ name: T.string, value: T.nstring })),
      }),
    ),
    timeoutMs: { type: T.int32, default: 60000 },
    validateOnly: { type: T.bool, v: '1+' },
  },
  {
    throttleTimeMs: { type: T.int32, v: '2+' },
    topics: array(
      struct({
        name: T.string,
        topicId: { type: T.uuid, v: '7+' },
        errorCode: T.int16,
        errorMessage: { type: T.nstring, v: '1+' },
        topicConfigErrorCode: { type: T.int16, v: '5+', tag: 0 },
        numPartitions: { type: T.int32, v: '5+', default: -1 },
        replicationFactor: { type: T.int16, v: '5+', default: -1 },
        configs: {
          type: narray(
            struct({
              name: T.string,
              value: T.nstring,
              readOnly: T.bool,
              configSource: { type: T.int8, default: -1 },
              isSensitive: T.bool,
            }),
          ),
          v: '5+',
        },
      }),
    ),
  },
);
