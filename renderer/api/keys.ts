// react-query key factories, one per domain, all scoped by cluster so switching clusters never
// shows another cluster's cached data.
export const clusterKeys = {
  all: ['clusters'] as const,
  session: () => ['session'] as const,
  overview: (clusterId: string) => ['cluster', clusterId, 'overview'] as const,
};

export const topicKeys = {
  all: (clusterId: string) => ['cluster', clusterId, 'topics'] as const,
  list: (clusterId: string) => [...topicKeys.all(clusterId), 'list'] as const,
  detail: (clusterId: string, topic: string) => [...topicKeys.all(clusterId), 'detail', topic] as const,
  configs: (clusterId: string, topic: string) => [...topicKeys.all(clusterId), 'configs', topic] as const,
  groups: (clusterId: string, topic: string) => [...topicKeys.all(clusterId), 'groups', topic] as const,
};

export const messageKeys = {
  browse: (clusterId: string, topic: string, request: unknown) => ['cluster', clusterId, 'messages', topic, request] as const,
};

export const groupKeys = {
  all: (clusterId: string) => ['cluster', clusterId, 'groups'] as const,
  list: (clusterId: string) => [...groupKeys.all(clusterId), 'list'] as const,
  detail: (clusterId: string, groupId: string) => [...groupKeys.all(clusterId), 'detail', groupId] as const,
  consoleMembers: (clusterId: string) => [...groupKeys.all(clusterId), 'console-members'] as const,
};

export const transactionKeys = {
  all: (clusterId: string) => ['cluster', clusterId, 'transactions'] as const,
  list: (clusterId: string) => [...transactionKeys.all(clusterId), 'list'] as const,
  producers: (clusterId: string, topic: string) => [...transactionKeys.all(clusterId), 'producers', topic] as const,
};

export const workloadKeys = {
  list: (clusterId: string) => ['cluster', clusterId, 'workloads'] as const,
  producerLab: (clusterId: string) => ['cluster', clusterId, 'producer-lab'] as const,
};

export const securityKeys = {
  acls: (clusterId: string) => ['cluster', clusterId, 'acls'] as const,
  aclList: (clusterId: string, filter: unknown) => [...securityKeys.acls(clusterId), filter] as const,
  users: (clusterId: string) => ['cluster', clusterId, 'scram-users'] as const,
};
