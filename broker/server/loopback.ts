// Whether a listener address stays on this machine. Without SASL nothing is authenticated, and
// with it nothing is encrypted (no TLS), so anything else must be asked for explicitly
// (--allow-remote) and is warned about.
// A host name other than `localhost` counts as remote: it may resolve to any interface.

import net from 'node:net';

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/** 0.0.0.0 and :: listen on every interface and cannot be advertised to a client. */
export function isWildcard(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::';
}

/** What listening beyond loopback exposes, with SASL on the broker listener (`sasl`) or not. */
export function remoteWarning(sasl: boolean): string {
  return sasl
    ? 'clients must log in (SASL PLAIN or SCRAM) but nothing is encrypted (no TLS): anyone on the network path can read the traffic, PLAIN passwords included'
    : 'the cluster has no authentication (no SASL, no TLS): anyone who can reach these ports can read, write and delete every topic';
}
