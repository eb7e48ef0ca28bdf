// Whether a listener address stays on this machine. Without SASL nothing is authenticated, and
// without TLS nothing is encrypted, so anything else must be asked for explicitly
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

/** What listening beyond loopback exposes, with SASL and/or TLS on the broker listener or not. */
export function remoteWarning(sasl: boolean, tls = false): string {
  if (sasl && tls) return 'clients must log in (SASL over TLS); the metadata quorum stays plaintext on 127.0.0.1';
  if (sasl)
    return 'clients must log in (SASL PLAIN or SCRAM) but nothing is encrypted (no TLS): anyone on the network path can read the traffic, PLAIN passwords included';
  if (tls)
    return 'the traffic is encrypted (TLS) but nobody has to log in (no SASL): anyone who can reach these ports can read, write and delete every topic';
  return 'the cluster has no authentication (no SASL, no TLS): anyone who can reach these ports can read, write and delete every topic';
}
