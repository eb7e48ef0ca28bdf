// Property tests of the pure codec over every declared API, every version the specs define,
// requests and responses: a value generated from the schema survives encode -> decode ->
// encode byte for byte and decodes to the end of its bytes; the same bytes mutated (flipped,
// cut, padded, lengths set to extremes) and plain random bytes either decode or throw the
// codec's own ProtocolError, never anything else (a RangeError or TypeError would reach the
// connection as a crash). Also the request header and the record batch checks.
// FUZZ_RUNS=n raises the runs per (API, version, direction); the default keeps this test quick.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { messageArbitrary, mutate, mutationArbitrary, type Vocabulary } from '../testing/schema-arbitrary.ts';
import { readRequestHeader, skipHeaderTags } from './header.ts';
import { allSchemas } from './messages/all-schemas.ts';
import { ProtocolError, Reader } from './reader.ts';
import { batchInfo, decodeRecords, validateBatches } from './record-batch.ts';
import { decode, encode, type Message, type Out, type StructType, type Fields } from './schema.ts';
import { Writer } from './writer.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const vocab: Vocabulary = { strings: ['', 'a', 'topic-1', '__consumer_offsets'], uuids: [] };

function encoded(m: Message<Fields>, version: number, value: Out<StructType<Fields>>): Buffer {
  const w = new Writer(64);
  encode(m, version, value, w);
  return w.toBuffer();
}

/** Decodes, or throws ProtocolError; anything else fails the property with its stack. */
function decodesOrRefuses(m: Message<Fields>, version: number, bytes: Buffer): void {
  try {
    decode(m, version, new Reader(bytes));
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw new Error(`decode threw ${(e as Error).stack}`, { cause: e });
  }
}

for (const schema of allSchemas) {
  test(`${schema.name}: every version round-trips and refuses bad bytes only with ProtocolError`, () => {
    for (let version = schema.specVersions.min; version <= schema.specVersions.max; version++) {
      for (const [side, m] of [
        ['request', schema.request],
        ['response', schema.response],
      ] as const) {
        const value = messageArbitrary(m, vocab);
        fc.assert(
          fc.property(value, mutationArbitrary, (v, mutation) => {
            const bytes = encoded(m, version, v);
            const r = new Reader(bytes);
            const back = decode(m, version, r);
            assert.equal(r.remaining, 0, `${side} v${version} decoded to the end`);
            assert.ok(encoded(m, version, back).equals(bytes), `${side} v${version} re-encodes to the same bytes`);
            decodesOrRefuses(m, version, mutate(bytes, mutation));
          }),
          { numRuns: RUNS },
        );
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 200 }), (raw) => decodesOrRefuses(m, version, Buffer.from(raw))),
          { numRuns: RUNS },
        );
      }
    }
  });
}

test('request headers of random bytes are read or refused with ProtocolError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (raw, flexible) => {
      const r = new Reader(Buffer.from(raw));
      try {
        readRequestHeader(r);
        if (flexible) skipHeaderTags(r);
      } catch (e) {
        assert.ok(e instanceof ProtocolError, String(e));
      }
    }),
    { numRuns: RUNS * 40 },
  );
});

test('record batch checks never throw on random or mutated bytes', async () => {
  const { buildBatch } = await import('./record-batch.ts');
  const valid = buildBatch([{ key: 'k', value: 'value', headers: [{ key: 'h', value: 'x' }] }, { value: null }]);
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        mutationArbitrary.map((m) => mutate(valid, m)),
      ),
      (buf) => {
        const checked = validateBatches(buf);
        if (typeof checked === 'string') return;
        // What passed the checks is read without surprises.
        for (const info of checked) {
          try {
            decodeRecords(buf, info);
          } catch (e) {
            assert.ok(e instanceof ProtocolError, `decodeRecords threw ${(e as Error).stack}`);
          }
        }
        if (buf.length >= 12) batchInfo(buf, 0);
      },
    ),
    { numRuns: RUNS * 40 },
  );
});
