// FrameReader on its own: frames come out whole and in order however the stream is cut, a
// frame waits while the budget refuses its size and comes out on resume, and the budget held by
// a frame still arriving is returned on dispose.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FrameError, FrameReader } from './frame-reader.ts';

function framed(payloads: Buffer[]): Buffer {
  return Buffer.concat(
    payloads.flatMap((p) => {
      const size = Buffer.alloc(4);
      size.writeInt32BE(p.length);
      return [size, p];
    }),
  );
}

test('frames come out whole and in order whatever the chunk boundaries, gradual or whole growth', () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ maxLength: 300_000 }).map((a) => Buffer.from(a)), { maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 40 }),
      fc.constantFrom('gradual' as const, 'whole' as const),
      (payloads, cuts, growth) => {
        const stream = framed(payloads);
        let reserved = 0;
        const r = new FrameReader(1 << 20, (n) => ((reserved += n), true), growth);
        const out: Buffer[] = [];
        let pos = 0;
        for (let i = 0; pos < stream.length; i++) {
          const n = cuts[i % cuts.length];
          out.push(...r.push(stream.subarray(pos, pos + n)));
          pos += n;
        }
        assert.equal(out.length, payloads.length);
        out.forEach((f, i) => assert.ok(f.equals(payloads[i])));
        assert.equal(reserved, payloads.reduce((s, p) => s + p.length, 0), 'each frame reserved its size once');
        assert.equal(r.pending, 0);
        assert.equal(r.midFrame, false);
      },
    ),
    { numRuns: 200 },
  );
});

test('a frame the budget refuses waits and comes out on resume', () => {
  let allow = false;
  const r = new FrameReader(1 << 20, () => allow);
  const stream = framed([Buffer.from('first'), Buffer.from('second')]);
  assert.deepEqual(r.push(stream), []);
  assert.equal(r.blocked, true);
  assert.equal(r.midFrame, true);
  allow = true;
  assert.deepEqual(
    r.resume().map((b) => b.toString()),
    ['first', 'second'],
  );
  assert.equal(r.blocked, false);
});

test('dispose returns the budget of a frame still arriving', () => {
  const r = new FrameReader(1 << 20);
  const size = Buffer.alloc(4);
  size.writeInt32BE(500_000);
  assert.deepEqual(r.push(Buffer.concat([size, Buffer.alloc(1000)])), []);
  assert.equal(r.pending, 1000);
  assert.equal(r.dispose(), 500_000);
  assert.equal(r.pending, 0);
});

test('oversized and negative sizes are refused before anything is reserved', () => {
  let reserved = 0;
  const r = new FrameReader(1000, (n) => ((reserved += n), true));
  assert.throws(() => r.push(Buffer.from([0, 0, 0x10, 0])), FrameError);
  assert.throws(() => new FrameReader(1000).push(Buffer.from([0xff, 0xff, 0xff, 0xff])), FrameError);
  assert.equal(reserved, 0);
});
