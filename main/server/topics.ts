// Topic routes: list, create, detail, delete, partitions, configs and the groups reading a topic.
import { topicGroups } from '../kafka/groups.ts';
import {
  addPartitions,
  alterTopicConfigs,
  createTopic,
  deleteTopic,
  listTopics,
  topicConfigs,
  topicDetail,
} from '../kafka/topics.ts';
import type { ServerContext } from './context.ts';
import type { Router } from './router.ts';

export function topicRoutes(r: Router, { registry }: ServerContext): void {
  const conn = (p: Record<string, string>) => registry.connection(p.clusterId);
  r.on('listTopics', async ({ params }) => ({ topics: await listTopics(conn(params)) }));
  r.on('createTopic', async ({ params, body }) => createTopic(conn(params), body));
  r.on('topicDetail', async ({ params }) => topicDetail(conn(params), params.topic));
  r.on('deleteTopic', async ({ params }) => {
    await deleteTopic(conn(params), params.topic);
    return { ok: true as const };
  });
  r.on('addPartitions', async ({ params, body }) => {
    await addPartitions(conn(params), params.topic, body.totalCount);
    return { ok: true as const };
  });
  r.on('topicConfigs', async ({ params }) => ({ configs: await topicConfigs(conn(params), params.topic) }));
  r.on('alterTopicConfigs', async ({ params, body }) => {
    await alterTopicConfigs(conn(params), params.topic, body.set, body.reset);
    return { configs: await topicConfigs(conn(params), params.topic) };
  });
  r.on('topicGroups', async ({ params }) => ({ groups: await topicGroups(conn(params), params.topic) }));
}
