// Test clusters' port blocks stay out of the kernel's ephemeral range (where any process's
// outgoing connection may take a port between the free-check and the node's bind), and are free.

import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { CONTROLLER_PORT_OFFSET } from '../supervisor/supervisor.ts';
import { freePortBlock, randomPortBase } from './ports.ts';

test("random bases leave room for the controller block below Linux's default ephemeral range (32768..)", () => {
  for (let i = 0; i < 10000; i++) {
    const base = randomPortBase(10);
    assert.ok(base >= 10000 && base + CONTROLLER_PORT_OFFSET + 10 <= 32768, `${base}`);
  }
});

test('a block is free to bind, port by port', async () => {
  const base = await freePortBlock(4);
  const servers: net.Server[] = [];
  try {
    for (let p = base; p < base + 4; p++)
      servers.push(
        await new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer().once('error', reject);
          s.listen(p, '127.0.0.1', () => resolve(s));
        }),
      );
  } finally {
    for (const s of servers) s.close();
  }
  assert.equal(servers.length, 4);
});
