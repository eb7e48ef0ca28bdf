import { api, array, struct, T } from '../schema.ts';

const AddPartitionsToTxnTopic = struct({ name: T.string, partitions: array(T.int32) });

const AddPartitionsToTxnPartitionResult = struct({ partitionIndex: T.int32, partitionErrorCode: T.int16 });

const AddPartitionsToTxnTopicResult = struct({
  name: T.string,
  resultsByPartition: array(AddPartitionsToTxnPartitionResult),
});

export const AddPartitionsToTxn = api(
  24,
  'AddPartitionsToTxn',
  { versions: '0-5', flexible: 3 },
  {
    transactions: {
      type: array(
        struct({
          transactionalId: T.string,
          producerId: T.int64,
          producerEpoch: T.int16,
          verifyOnly: T.bool,
          topics: array(AddPartitionsToTxnTopic),
        }),
      ),
      v: '4+',
    },
    v3AndBelowTransactionalId: { type: T.string, v: '0-3' },
    v3AndBelowProducerId: { type: T.int64, v: '0-3' },
    v3AndBelowProducerEpoch: { type: T.int16, v: '0-3' },
    v3AndBelowTopics: { type: array(AddPartitionsToTxnTopic), v: '0-3' },
  },
  {
    throttleTimeMs: T.int32,
    errorCode: { type: T.int16, v: '4+' },
    resultsByTransaction: {
      type: array(
        struct({
          transactionalId: T.string,
          topicResults: array(AddPartitionsToTxnTopicResult),
        }),
      ),
      v: '4+',
    },
    resultsByTopicV3AndBelow: { type: array(AddPartitionsToTxnTopicResult), v: '0-3' },
  },
);
