import { api, array, struct, T } from '../schema.ts';

export const DeleteTopics = api(
  20,
  'DeleteTopics',
  { versions: '0-6', flexible: 4, listeners: ['broker', 'controller'] },
  {
    topics: { type: array(struct({ name: T.nstring, topicId: T.uuid })), v: '6+' },
    topicNames: { type: array(T.string), v: '0-5' },
    timeoutMs: T.int32,
  },
  {
    throttleTimeMs: { type: T.int32, v: '1+' },
    responses: array(
      struct({
        name: T.nstring,
        topicId: { type: T.uuid, v: '6+' },
        errorCode: T.int16,
        errorMessage: { type: T.nstring, v: '5+' },
      }),
    ),
  },
);
