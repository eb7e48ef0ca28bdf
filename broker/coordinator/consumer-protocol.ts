// The "consumer" embedded protocol's subscription (ConsumerProtocolSubscription, versions 0-3):
// the group coordinator only needs its topic list (OffsetDelete refuses to delete offsets of
// topics the group still subscribes to). Every version starts with int16 version, then topics as
// a classic array of classic strings.

import { Reader } from '../protocol/reader.ts';

export function subscriptionTopics(metadata: Buffer): string[] | null {
  try {
    const r = new Reader(metadata);
    r.int16();
    const n = r.int32();
    if (n < 0 || n > r.remaining) return null;
    const topics: string[] = [];
    for (let i = 0; i < n; i++) {
      const len = r.int16();
      if (len < 0) return null;
      topics.push(r.utf8(len));
    }
    return topics;
  } catch {
    return null;
  }
}
