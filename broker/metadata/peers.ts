// Connections from this node to the other nodes, over our own Kafka client. One connection per
// (node, purpose): a node answers the requests of one connection in order, so a long-polling
// Fetch must not sit in front of a Vote or a heartbeat. Broken connections are re-dialled on
// the next request. One Peers per listener kind: `endpoint` says where a node's controller
// listener (from --voters) or broker listener (from its registration) is.

import { KafkaConnection, type ClientTls, type PlainAuth } from '../client/connection.ts';
import type { ApiSchema, DecodedResponseOf, RequestOutOf } from '../protocol/schema.ts';

export interface Endpoint {
  host: string;
  port: number;
}

export class Peers {
  private conns = new Map<string, Promise<KafkaConnection>>();
  private closed = false;
  private refusedAt = new Map<number, number>();

  constructor(
    private readonly selfId: number,
    private readonly endpoint: (nodeId: number) => Endpoint | undefined,
    /** The inter-broker credentials on a SASL listener (docs/decisions/0015). */
    private readonly auth?: PlainAuth,
    /** The CA to trust on an SSL / SASL_SSL listener (docs/decisions/0016). */
    private readonly tls?: ClientTls,
  ) {}

  private conn(nodeId: number, purpose: string): Promise<KafkaConnection> {
    const key = `${nodeId}/${purpose}`;
    let c = this.conns.get(key);
    if (c) return c;
    const ep = this.endpoint(nodeId);
    if (!ep || this.closed) return Promise.reject(new Error(`no endpoint for node ${nodeId}`));
    c = KafkaConnection.connect(ep.host, ep.port, `samsa-node-${this.selfId}-${purpose}`, 1000, this.auth, this.tls);
    this.conns.set(key, c);
    c.then(
      (k) => {
        this.refusedAt.delete(nodeId);
        if (this.closed) k.close();
      },
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNREFUSED') this.refusedAt.set(nodeId, Date.now());
        this.conns.delete(key);
      },
    );
    return c;
  }

  async request<A extends ApiSchema>(
    nodeId: number,
    purpose: string,
    schema: A,
    version: number,
    body: RequestOutOf<A>,
    timeoutMs: number,
  ): Promise<DecodedResponseOf<A>> {
    const key = `${nodeId}/${purpose}`;
    const c = await this.conn(nodeId, purpose);
    if (c.closed) {
      if (this.conns.get(key) !== undefined) this.conns.delete(key);
      throw new Error(`connection to node ${nodeId} closed`);
    }
    try {
      return await c.request(schema, version, body, timeoutMs);
    } catch (e) {
      // A timed-out request leaves the connection's order unknown: start afresh.
      c.close();
      this.conns.delete(key);
      throw e;
    }
  }

  /** Whether nothing listened at the node's address on a connection attempt in the last maxAgeMs. */
  refused(nodeId: number, maxAgeMs: number): boolean {
    const at = this.refusedAt.get(nodeId);
    return at !== undefined && Date.now() - at < maxAgeMs;
  }

  /** The node showed it is up (it sent us a request). */
  alive(nodeId: number): void {
    this.refusedAt.delete(nodeId);
  }

  /** Drops the connections to one node (it moved or restarted). */
  reset(nodeId: number): void {
    for (const [k, c] of this.conns) {
      if (k.startsWith(`${nodeId}/`)) {
        c.then(
          (x) => x.close(),
          () => {},
        );
        this.conns.delete(k);
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const c of this.conns.values())
      c.then(
        (x) => x.close(),
        () => {},
      );
    this.conns.clear();
  }
}
