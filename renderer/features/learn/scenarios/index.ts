// The scenarios of the learn mode, in the order the Learn panel offers them.
import type { Scenario } from '../scenario.ts';
import { compaction } from './compaction.ts';
import { consumerGroups } from './consumer-groups.ts';
import { distributed } from './distributed.ts';
import { faultTolerance } from './fault-tolerance.ts';
import { metricsMonitoring } from './metrics-monitoring.ts';
import { firstTopic } from './first-topic.ts';
import { offsetsReplay } from './offsets-replay.ts';
import { partitionsKeys } from './partitions-keys.ts';
import { scalability } from './scalability.ts';
import { streamProcessing } from './stream-processing.ts';

export const SCENARIOS: Scenario[] = [firstTopic, partitionsKeys, consumerGroups, offsetsReplay, distributed, scalability, compaction, faultTolerance, metricsMonitoring, streamProcessing];
