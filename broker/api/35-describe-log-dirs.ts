// DescribeLogDirs (key 35), versions 0-4.
// Behaviour: one log dir, the node's data dir, with the size in bytes of every partition this
// node stores (null topics = all, else the named partitions this node has; others are left
// out, as Kafka does). offsetLag is 0 and isFutureKey false (no replica movement between
// dirs). v4 adds the file system's total and usable bytes.
// Authorization (--acls): DESCRIBE on the cluster, else no results and (v3+)
// CLUSTER_AUTHORIZATION_FAILED, as Kafka's KafkaApis.
// Deviation: the whole data dir (one per node) is reported as the single log dir.

import fs from 'node:fs';
import { ErrorCode } from '../protocol/errors.ts';
import { DescribeLogDirs } from '../protocol/messages/describe-log-dirs.ts';
import { AclOperation } from '../security/authorizer.ts';
import { clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DescribeLogDirs, '0-4', (req, ctx) => {
  const { broker } = ctx;
  if (!clusterAllowed(ctx, AclOperation.DESCRIBE)) return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, results: [] };
  const byTopic = new Map<string, { partitionIndex: number; partitionSize: number; offsetLag: number; isFutureKey: boolean }[]>();
  const add = (topic: string, partition: number) => {
    const log = broker.partitions.get({ topic, partition })?.log;
    if (!log) return;
    let list = byTopic.get(topic);
    if (!list) byTopic.set(topic, (list = []));
    list.push({ partitionIndex: partition, partitionSize: log.size, offsetLag: 0, isFutureKey: false });
  };
  if (req.topics === null) {
    for (const t of broker.metadata.topics()) for (const p of t.partitions) add(t.name, p.partition);
  } else {
    for (const t of req.topics) for (const p of t.partitions) add(t.topic, p);
  }
  let totalBytes = -1;
  let usableBytes = -1;
  try {
    const st = fs.statfsSync(broker.config.dataDir);
    totalBytes = st.blocks * st.bsize;
    usableBytes = st.bavail * st.bsize;
  } catch {
    /* unknown: -1 as Kafka */
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    results: [
      {
        errorCode: ErrorCode.NONE,
        logDir: broker.config.dataDir,
        topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
        totalBytes,
        usableBytes,
      },
    ],
  };
});
