// A guard around @platformatic/kafka 1.35.0 (the last release that runs on Node 20; 2.x needs
// Node 22): its clients cache a node id (a group's or a transaction's coordinator, a partition
// leader, the controller) and later look that node up in their metadata's broker list. Once the
// node is dead and gone from the metadata (Kafka, too, lists only live brokers), the lookup is
// `undefined` and ConnectionPool dereferences it inside a socket or timer callback: a TypeError
// no caller can catch, which ends the whole process — here the console server, whenever the
// user kills the node coordinating a workload's group (the failover demo's very action).
// installClientGuard() makes those ConnectionPool methods answer an undefined broker with a
// retriable NetworkError marked hasStaleMetadata (the client then refreshes its metadata), so
// the operation fails like any other network failure and its caller sees an error instead of
// the process dying. It does not make the client find the new coordinator: a Consumer never
// looks its coordinator up again, so group members recover by rejoining with a new consumer
// (main/server/workloads/group-reader.ts). Installed once, by cluster-config.ts, which every
// client's options come from.
import { type Broker, type CallbackWithPromise, type Connection, ConnectionPool, NetworkError } from '@platformatic/kafka';

let installed = false;

/** The error an operation gets instead of the TypeError: retriable, and the metadata is stale. */
export function goneBrokerError(): NetworkError {
  return new NetworkError('The node this client cached (a coordinator, leader or controller) is no longer in the cluster metadata; it may be down.', {
    hasStaleMetadata: true,
  });
}

export function installClientGuard(): void {
  if (installed) return;
  installed = true;
  const proto = ConnectionPool.prototype;
  const get = proto.get;
  const getEstablishedConnection = proto.getEstablishedConnection;
  const has = proto.has;
  function guardedGet(this: ConnectionPool, broker: Broker, callback: CallbackWithPromise<Connection>): void;
  function guardedGet(this: ConnectionPool, broker: Broker): Promise<Connection>;
  function guardedGet(this: ConnectionPool, broker: Broker | undefined, callback?: CallbackWithPromise<Connection>): void | Promise<Connection> {
    if (broker) return Reflect.apply(get, this, callback ? [broker, callback] : [broker]);
    const error = goneBrokerError();
    if (!callback) return Promise.reject(error);
    queueMicrotask(() => callback(error));
  }
  proto.get = guardedGet;
  proto.getEstablishedConnection = function guardedGetEstablished(this: ConnectionPool, broker) {
    return broker ? getEstablishedConnection.call(this, broker) : undefined;
  };
  proto.has = function guardedHas(this: ConnectionPool, broker) {
    return broker ? has.call(this, broker) : false;
  };
}
