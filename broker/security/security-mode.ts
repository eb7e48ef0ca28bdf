// `--security` of `samsa cluster`, `samsa serve` and the app: what the bundled cluster's broker
// listeners speak (Kafka's security.protocol: PLAINTEXT, SASL_PLAINTEXT, SSL, SASL_SSL).
// The controller listeners stay on loopback without TLS whatever the mode; with SASL they are
// SASL_PLAINTEXT for the nodes' inter-broker user only (docs/decisions/0017).

export const SECURITY_MODES = ['plaintext', 'sasl', 'tls', 'sasl+tls'] as const;
export type SecurityMode = (typeof SECURITY_MODES)[number];

export function parseSecurityMode(s: string): SecurityMode {
  const m = SECURITY_MODES.find((x) => x === s);
  if (!m) throw new Error(`--security must be one of ${SECURITY_MODES.join(', ')}, got ${s}`);
  return m;
}

export const usesSasl = (m: SecurityMode): boolean => m === 'sasl' || m === 'sasl+tls';
export const usesTls = (m: SecurityMode): boolean => m === 'tls' || m === 'sasl+tls';

/** The security.protocol a client sets for this mode. */
export function clientProtocol(m: SecurityMode): 'PLAINTEXT' | 'SASL_PLAINTEXT' | 'SSL' | 'SASL_SSL' {
  if (usesSasl(m)) return usesTls(m) ? 'SASL_SSL' : 'SASL_PLAINTEXT';
  return usesTls(m) ? 'SSL' : 'PLAINTEXT';
}

/** The nodes' flags for `--acls` (samsa cluster, samsa serve): the authorizer on, the bootstrap user admin a super user (super.users). */
export const ACL_NODE_ARGS: readonly string[] = ['--acls', '--super-users', 'User:admin'];
export const ACLS_ON_LINE = 'acls on: super.users=User:admin, allow.everyone.if.no.acl.found=false';
