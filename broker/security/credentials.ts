// SCRAM credentials between their two forms: binary (scram.ts) and as metadata records carry them
// (base64, metadata-state.ts), and the SASL credential source of a node backed by its applied
// metadata state.
// A restarted node looks a SCRAM user up once it has replayed the metadata log (as a KRaft broker
// only serves after catching up; `caughtUp`, at most 3 s in RaftMetadata): before, it would
// refuse users whose credentials it has not read yet. The inter-broker user never waits: its
// secret is not in the log, and the controller-listener logins that replaying needs must not
// wait for the replay (docs/decisions/0017).

import type { MetadataState, StoredScramCredential } from '../metadata/metadata-state.ts';
import type { SaslCredentials } from './sasl-session.ts';
import type { ScramCredential } from './scram.ts';

export function fromStored(s: StoredScramCredential): ScramCredential {
  return {
    mechanism: s.mechanism,
    iterations: s.iterations,
    salt: Buffer.from(s.salt, 'base64'),
    storedKey: Buffer.from(s.storedKey, 'base64'),
    serverKey: Buffer.from(s.serverKey, 'base64'),
  };
}

export function toStored(c: ScramCredential): StoredScramCredential {
  return {
    mechanism: c.mechanism,
    iterations: c.iterations,
    salt: c.salt.toString('base64'),
    storedKey: c.storedKey.toString('base64'),
    serverKey: c.serverKey.toString('base64'),
  };
}

export function metadataCredentials(state: MetadataState, interBrokerPassword: string, caughtUp: () => Promise<void>): SaslCredentials {
  return {
    interBrokerPassword,
    async scram(user, mechanism) {
      await caughtUp();
      const c = state.scram.get(user)?.get(mechanism as StoredScramCredential['mechanism']);
      return c && fromStored(c);
    },
    async allScram(user) {
      await caughtUp();
      return [...(state.scram.get(user)?.values() ?? [])].map(fromStored);
    },
  };
}
