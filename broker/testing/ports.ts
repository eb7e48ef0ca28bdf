// Port blocks for test clusters. Test files run side by side (scripts/run-tests.mjs, Playwright
// workers, other people's runs on the same machine), so a block starts at a random port, and the
// whole range sits below the kernel's ephemeral range (Linux: 32768..60999): there an outgoing
// connection of any process may hold a port between our free-check and the node's bind. The
// controller block (+200) and the metrics block (+100) of a cluster stay below it too.

import { findFreeBlock } from '../supervisor/ports.ts';

const LOW = 10000;
const HIGH = 32000; // + CONTROLLER_PORT_OFFSET (200) and a few nodes still < 32768

/** A random number in [LOW, HIGH - span), for a block of `span` ports. */
export function randomPortBase(span = 20): number {
  return LOW + Math.floor(Math.random() * (HIGH - LOW - span));
}

/** The first port of a free block of `count` ports on `host`, found from a random start. */
export function freePortBlock(count: number, host = '127.0.0.1'): Promise<number> {
  return findFreeBlock(randomPortBase(count), count, host);
}
