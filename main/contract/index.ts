// The console contract: every HTTP body and WebSocket message, shared by server and renderer.
export * from './errors.ts';
export * from './clusters.ts';
export * from './topics.ts';
export * from './messages.ts';
export * from './groups.ts';
export * from './transactions.ts';
export * from './security.ts';
export * from './metrics.ts';
export * from './stream.ts';
export * from './events.ts';
export * from './cluster-control.ts';
export * from './failover-demo.ts';
export * from './workloads.ts';
export * from './routes.ts';
export * from './topic-config-catalog.ts';
export * from './external-links.ts';
export * from './bridge.ts';
