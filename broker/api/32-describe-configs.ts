// DescribeConfigs (key 32), versions 1-4 (v0 is not sent by the clients we serve; Kafka 4's
// minimum is 1 too).
// Behaviour: topic resources list every topic config Samsa honours with its value and source
// (DYNAMIC_TOPIC_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG, DEFAULT_CONFIG); broker resources list
// the node's static settings (STATIC_BROKER_CONFIG when set on its command line, read-only) and
// the dynamic cluster-wide log defaults. Broker "" is the cluster-default resource and lists only
// what was set dynamically. Synonyms and documentation only when asked for; requested keys
// filter the list and unknown keys are left out, as in Kafka.
// Errors per resource: UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION, INVALID_REQUEST for an
// unsupported resource type (groups, broker loggers, client metrics) or a bad broker id.
// Deviation: dynamic broker configs are cluster-wide only (see metadata/config-resources.ts);
// nothing is sensitive (no passwords are configurable).
// Authorization (--acls): DESCRIBE_CONFIGS on the topic (TOPIC_AUTHORIZATION_FAILED) or the
// cluster for a broker (CLUSTER_AUTHORIZATION_FAILED), as Kafka.

import {
  describeBrokerConfigs,
  describeTopicConfigs,
  isError,
  resolveResource,
} from '../metadata/config-resources.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { DescribeConfigs } from '../protocol/messages/describe-configs.ts';
import { AclOperation } from '../security/authorizer.ts';
import { configRefusal } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DescribeConfigs, '1-4', (req, ctx) => {
  const { broker } = ctx;
  const md = broker.metadata;
  const results = req.resources.map((r) => {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    const refused = configRefusal(ctx, AclOperation.DESCRIBE_CONFIGS, r);
    if (refused) return { ...base, ...refused, configs: [] };
    const res = resolveResource(md, r.resourceType, r.resourceName);
    if (isError(res)) return { ...base, ...res, configs: [] };
    const opts = {
      keys: r.configurationKeys,
      includeSynonyms: req.includeSynonyms,
      includeDocumentation: req.includeDocumentation,
    };
    const configs =
      res.type === 'topic'
        ? describeTopicConfigs(res.topic, md.brokerConfigs(), opts)
        : describeBrokerConfigs(broker.config, res.clusterDefault, md.brokerConfigs(), opts);
    return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
  });
  return { throttleTimeMs: 0, results };
});
