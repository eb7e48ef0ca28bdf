// fast-check arbitraries derived from the codec's own schemas: a value of any declared message
// (every field, nested structs and arrays, nullable and tagged fields) that the codec can encode,
// with numbers and names biased towards what a broker acts on (small counts, -1, boundaries, the
// names the fuzzed node knows), plus byte-level mutations of encoded frames. Used by the codec's
// property test and by the node fuzzer.

import fc from 'fast-check';
import { writeRequestHeader } from '../protocol/header.ts';
import { buildBatch } from '../protocol/record-batch.ts';
import {
  encode,
  type AnyType,
  type ApiSchema,
  type FieldOpts,
  type Fields,
  type Message,
  type Out,
  type StructType,
} from '../protocol/schema.ts';
import { Writer } from '../protocol/writer.ts';

/** Names the fuzzed node has (topics, groups ...) so that requests reach past the lookups. */
export interface Vocabulary {
  strings: string[];
  uuids: string[];
}

const edgeInts = (bits: 8 | 16 | 32) => {
  const max = 2 ** (bits - 1) - 1;
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -1, max: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(...[-max - 1, max, 100, 1000].filter((n) => n <= max)) },
    { weight: 2, arbitrary: fc.integer({ min: -max - 1, max }) },
  );
};

const int64 = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, Date.now()) },
  { weight: 2, arbitrary: fc.maxSafeInteger() },
);

const hex32 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('hex'));

const records = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  fc
    .array(fc.record({ key: fc.option(fc.string({ maxLength: 8 })), value: fc.option(fc.string({ maxLength: 32 })) }), {
      minLength: 1,
      maxLength: 3,
    })
    .map((rs) => buildBatch(rs.map((r) => ({ key: r.key, value: r.value })))),
  fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b)),
);

function prim(t: Extract<AnyType, { kind: 'prim' }>, vocab: Vocabulary): fc.Arbitrary<unknown> {
  const orNull = (a: fc.Arbitrary<unknown>) =>
    t.nullable ? fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) }) : a;
  switch (t.prim) {
    case 'int8':
      return edgeInts(8);
    case 'int16':
      return edgeInts(16);
    case 'int32':
      return edgeInts(32);
    case 'int64':
      return int64;
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'uint32':
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 'float64':
      return fc.double();
    case 'bool':
      return fc.boolean();
    case 'uuid':
      return fc.oneof(fc.constantFrom('0'.repeat(32), ...vocab.uuids), hex32);
    case 'string':
      return orNull(
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...vocab.strings) },
          { weight: 1, arbitrary: fc.string({ maxLength: 24 }) },
        ),
      );
    case 'bytes':
      return orNull(fc.uint8Array({ maxLength: 48 }).map((b) => Buffer.from(b)));
    case 'records':
      return records;
  }
}

export function arbitraryOf(t: AnyType, vocab: Vocabulary, depth = 0): fc.Arbitrary<unknown> {
  if (t.kind === 'prim') return prim(t, vocab);
  if (t.kind === 'array') {
    const arr = fc.array(arbitraryOf(t.of, vocab, depth + 1), { maxLength: depth < 2 ? 3 : 1 });
    return t.nullable ? fc.oneof({ weight: 5, arbitrary: arr }, { weight: 1, arbitrary: fc.constant(null) }) : arr;
  }
  const st = structOf(t, vocab, depth);
  return t.nullable ? fc.oneof({ weight: 3, arbitrary: st }, { weight: 1, arbitrary: fc.constant(null) }) : st;
}

function structOf(t: StructType<Fields>, vocab: Vocabulary, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, spec] of Object.entries(t.fields)) {
    const type = 'kind' in spec ? (spec as AnyType) : (spec as FieldOpts).type;
    model[name] = arbitraryOf(type, vocab, depth + 1);
  }
  return fc.record(model);
}

/** A whole message body: every declared field (the codec writes those of the version asked). */
export function messageArbitrary<F extends Fields>(m: Message<F>, vocab: Vocabulary): fc.Arbitrary<Out<StructType<F>>> {
  // Built field by field from the same schema the codec walks, so it has the message's shape;
  // the compiler cannot follow a runtime walk of the schema, hence the one assertion here.
  return structOf(m.struct, vocab, 0) as fc.Arbitrary<unknown> as fc.Arbitrary<Out<StructType<F>>>;
}

export type Mutation =
  | { kind: 'none' }
  | { kind: 'flip'; at: number[]; xor: number[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'extreme'; at: number; value: number }
  | { kind: 'random'; bytes: Uint8Array };

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 })
      .map((xs) => ({ kind: 'flip' as const, at: xs.map((x) => x[0]), xor: xs.map((x) => x[1]) })),
  },
  { weight: 2, arbitrary: fc.nat().map((at) => ({ kind: 'truncate' as const, at })) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('extreme' as const),
      at: fc.nat(),
      value: fc.constantFrom(0x7fffffff, -1, -2, 0x80000000 | 0, 0x7fff, 0xffff, 0x7f, 0xff),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
  },
);

/** Applies a mutation to an encoded body; positions wrap around its length. `keep` bytes stay. */
export function mutate(body: Buffer, m: Mutation, keep = 0): Buffer {
  const span = body.length - keep;
  if (span <= 0 || m.kind === 'none')
    return m.kind === 'random' ? Buffer.concat([body.subarray(0, keep), Buffer.from(m.bytes)]) : body;
  const pos = (n: number) => keep + (n % span);
  const out = Buffer.from(body);
  switch (m.kind) {
    case 'flip':
      m.at.forEach((a, i) => (out[pos(a)] ^= m.xor[i]));
      return out;
    case 'truncate':
      return out.subarray(0, pos(m.at));
    case 'insert': {
      const at = pos(m.at);
      return Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
    }
    case 'extreme': {
      const at = pos(m.at);
      // A length or count: int32, int16, int8 or a varint, whichever fits there.
      if (at + 4 <= out.length && Math.abs(m.value) > 0xffff) out.writeInt32BE(m.value | 0, at);
      else if (at + 2 <= out.length && m.value > 0xff) out.writeUInt16BE(m.value & 0xffff, at);
      else out[at] = m.value & 0xff;
      return out;
    }
    case 'random':
      return Buffer.concat([out.subarray(0, keep), Buffer.from(m.bytes)]);
  }
}

/**
 * Whole request frames of one API version as a client would send them (size, header, body),
 * mostly with the body mutated behind an intact header (so the bytes reach the API's decoder and
 * handler), sometimes with the header mutated too. The size prefix always matches, so one frame
 * never desynchronises the next on the same connection.
 */
export function requestFrameArbitrary(schema: ApiSchema, version: number, vocab: Vocabulary): fc.Arbitrary<Buffer> {
  const flexible = version >= schema.flexibleFrom;
  return fc
    .tuple(
      messageArbitrary(schema.request, vocab),
      mutationArbitrary,
      fc.integer({ min: 0, max: 9 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    )
    .map(([body, mutation, headerToo, correlationId]) => {
      const w = new Writer(256);
      writeRequestHeader(w, { apiKey: schema.key, apiVersion: version, correlationId, clientId: 'fuzz' }, flexible);
      const headerLength = w.length;
      encode(schema.request, version, body, w);
      const payload = mutate(w.toBuffer(), mutation, headerToo === 0 ? 0 : headerLength);
      const size = Buffer.alloc(4);
      size.writeInt32BE(payload.length);
      return Buffer.concat([size, payload]);
    });
}
