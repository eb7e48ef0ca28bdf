// The scenarios of the learn mode, in the order the Learn panel offers them.
import type { Scenario } from '../scenario.ts';
import { compaction } from './compaction.ts';
import { consumerGroups } from './consumer-groups.ts';
import { activityTracking } from './activity-tracking.ts';
import { distributed } from './distributed.ts';
import { durability } from './durability.ts';
import { eventSourcing } from './event-sourcing.ts';
import { exactlyOnce } from './exactly-once.ts';
import { faultTolerance } from './fault-tolerance.ts';
import { metricsMonitoring } from './metrics-monitoring.ts';
import { firstTopic } from './first-topic.ts';
import { logAggregation } from './log-aggregation.ts';
import { offsetsReplay } from './offsets-replay.ts';
import { partitionsKeys } from './partitions-keys.ts';
import { pipelines } from './pipelines.ts';
import { scalability } from './scalability.ts';
import { streamProcessing } from './stream-processing.ts';
import { throughput } from './throughput.ts';

export const SCENARIOS: Scenario[] = [firstTopic, partitionsKeys, consumerGroups, offsetsReplay, distributed, scalability, throughput, compaction, faultTolerance, durability, eventSourcing, activityTracking, logAggregation, metricsMonitoring, streamProcessing, pipelines, exactlyOnce];
