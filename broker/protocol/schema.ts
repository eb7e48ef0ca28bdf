// The generic codec: Kafka messages are declared once as TypeScript schemas (field names, types,
// versions and tags from the official message specs) and this one interpreter reads and writes
// every version of them: classic and flexible (compact) encodings, nullable variants and
// tagged fields. Pure, no I/O.
//
// Field semantics follow Kafka's generated message classes: a field absent from a version
// decodes to its default and is skipped on encode; a tagged field is written only when it
// differs from its default; unknown tags are skipped on read.
// Records fields (Produce, Fetch, FetchSnapshot) are nullable in the specs and decode null, but
// are never written as null: Kafka always writes empty records (librdkafka rejects a -1
// MessageSetSize and with it the whole response), so their encode type has no null.

import { ProtocolError, Reader } from './reader.ts';
import { Writer } from './writer.ts';

type PrimName =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint16'
  | 'uint32'
  | 'float64'
  | 'bool'
  | 'uuid'
  | 'string'
  | 'bytes'
  | 'records';

/** T: the decoded type; O: what encode accepts. */
export interface PrimType<T, O = T> {
  kind: 'prim';
  prim: PrimName;
  nullable: boolean;
  readonly __t?: T;
  readonly __o?: O;
}
export interface ArrayType<E extends AnyType> {
  kind: 'array';
  of: E;
  nullable: boolean;
}
export interface StructType<F extends Fields> {
  kind: 'struct';
  fields: F;
  /** Nullable struct: an int8 marker precedes it, -1 for null, 1 when present. */
  nullable?: boolean;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyType = PrimType<any, any> | ArrayType<any> | StructType<any>;

export interface FieldOpts<T extends AnyType = AnyType> {
  type: T;
  /** Versions the field exists in: '3+', '0-4', '5', or 'none'. Default: all. */
  v?: string;
  /** Tag number: the field is a tagged field (flexible versions only). */
  tag?: number;
  default?: unknown;
}
export type FieldSpec = AnyType | FieldOpts;
export type Fields = Record<string, FieldSpec>;

/** Bytes or records to write: one buffer, or several slices of log files sent as one field. */
export type BytesOut = Buffer | Buffer[];

type SpecType<S> = S extends FieldOpts<infer T> ? T : S;

/** The decoded form: every field present (defaults for absent versions). */
export type In<T> =
  T extends PrimType<infer V, unknown>
    ? V
    : T extends ArrayType<infer E>
      ? T['nullable'] extends true
        ? In<E>[] | null
        : In<E>[]
      : T extends StructType<infer F>
        ? T['nullable'] extends true
          ? { [K in keyof F]: In<SpecType<F[K]>> } | null
          : { [K in keyof F]: In<SpecType<F[K]>> }
        : never;

/** The form to encode: version-limited, tagged and defaulted fields may be left out. */
export type Out<T> =
  T extends PrimType<unknown, infer O>
    ? O
    : T extends ArrayType<infer E>
      ? T['nullable'] extends true
        ? Out<E>[] | null
        : Out<E>[]
      : T extends StructType<infer F>
        ? T['nullable'] extends true
          ? OutStruct<F> | null
          : OutStruct<F>
        : never;

type OutStruct<F extends Fields> = { [K in keyof F as F[K] extends AnyType ? K : never]: Out<F[K]> } & {
  [K in keyof F as F[K] extends AnyType ? never : K]?: Out<SpecType<F[K]>>;
};

const prim = <T, O = T>(p: PrimName, nullable = false): PrimType<T, O> => ({ kind: 'prim', prim: p, nullable });

export const T = {
  int8: prim<number>('int8'),
  int16: prim<number>('int16'),
  int32: prim<number>('int32'),
  int64: prim<number>('int64'),
  uint16: prim<number>('uint16'),
  uint32: prim<number>('uint32'),
  float64: prim<number>('float64'),
  bool: prim<boolean>('bool'),
  uuid: prim<string>('uuid'),
  string: prim<string>('string'),
  nstring: prim<string | null>('string', true),
  bytes: prim<Buffer, BytesOut>('bytes'),
  nbytes: prim<Buffer | null, BytesOut | null>('bytes', true),
  records: prim<Buffer | null, BytesOut>('records', true),
};

export function array<E extends AnyType>(of: E): ArrayType<E> & { nullable: false } {
  return { kind: 'array', of, nullable: false };
}
export function narray<E extends AnyType>(of: E): ArrayType<E> & { nullable: true } {
  return { kind: 'array', of, nullable: true };
}
export function struct<F extends Fields>(fields: F): StructType<F> {
  return { kind: 'struct', fields };
}
export function nstruct<F extends Fields>(fields: F): StructType<F> & { nullable: true } {
  return { kind: 'struct', fields, nullable: true };
}

// ---------------------------------------------------------------- versions

export interface Range {
  min: number;
  max: number;
}
export function parseRange(s: string | undefined): Range {
  if (s === undefined) return { min: 0, max: 32767 };
  if (s === 'none') return { min: 1, max: 0 };
  const plus = /^(\d+)\+$/.exec(s);
  if (plus) return { min: +plus[1], max: 32767 };
  const span = /^(\d+)-(\d+)$/.exec(s);
  if (span) return { min: +span[1], max: +span[2] };
  if (/^\d+$/.test(s)) return { min: +s, max: +s };
  throw new Error(`bad version range ${s}`);
}
const inRange = (r: Range, v: number) => v >= r.min && v <= r.max;

// ---------------------------------------------------------------- plans

interface Entry {
  name: string;
  type: AnyType;
  tag: number | undefined;
  def: unknown;
  plan: Plan | undefined; // struct or array-of-struct
}
interface Plan {
  entries: Entry[]; // untagged, in order
  tagged: Map<number, Entry>;
  flexible: boolean;
  version: number;
  absent: Entry[]; // fields not in this version (decoded as defaults)
}

function defaultOf(type: AnyType, explicit: unknown): unknown {
  if (explicit !== undefined) return explicit;
  if (type.kind === 'array') return type.nullable ? null : [];
  if (type.kind === 'struct') return type.nullable ? null : undefined;
  if (type.nullable) return null;
  switch (type.prim) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return '00000000000000000000000000000000';
    case 'bytes':
      return Buffer.alloc(0);
    default:
      return 0;
  }
}

const planCache = new WeakMap<StructType<Fields>, Map<number, Plan>>();

function planFor(s: StructType<Fields>, version: number, flexible: boolean): Plan {
  let byVersion = planCache.get(s);
  if (!byVersion) planCache.set(s, (byVersion = new Map()));
  const key = flexible ? version | 0x10000 : version;
  let plan = byVersion.get(key);
  if (plan) return plan;
  plan = { entries: [], tagged: new Map(), flexible, version, absent: [] };
  for (const [name, spec] of Object.entries(s.fields)) {
    const opts: FieldOpts = 'kind' in spec ? { type: spec as AnyType } : (spec as FieldOpts);
    const type = opts.type;
    const sub =
      type.kind === 'struct'
        ? planFor(type, version, flexible)
        : type.kind === 'array' && type.of.kind === 'struct'
          ? planFor(type.of, version, flexible)
          : undefined;
    const entry: Entry = { name, type, tag: opts.tag, def: defaultOf(type, opts.default), plan: sub };
    const present = inRange(parseRange(opts.v), version) && (opts.tag === undefined || flexible);
    if (!present) plan.absent.push(entry);
    else if (opts.tag !== undefined) plan.tagged.set(opts.tag, entry);
    else plan.entries.push(entry);
  }
  byVersion.set(key, plan);
  return plan;
}

// ---------------------------------------------------------------- decode

function readPrim(r: Reader, t: PrimType<unknown>, flexible: boolean, name: string): unknown {
  switch (t.prim) {
    case 'int8':
      return r.int8();
    case 'int16':
      return r.int16();
    case 'int32':
      return r.int32();
    case 'int64':
      return r.int64();
    case 'uint16':
      return r.uint16();
    case 'uint32':
      return r.uint32();
    case 'float64':
      return r.float64();
    case 'bool':
      return r.bool();
    case 'uuid':
      return r.uuid();
    case 'string': {
      const n = r.length(flexible, false);
      if (n < 0) return nullOrThrow(t, name);
      return r.utf8(n);
    }
    case 'bytes':
    case 'records': {
      const n = r.length(flexible, true);
      if (n < 0) return nullOrThrow(t, name);
      return r.slice(n);
    }
  }
}

function nullOrThrow(t: AnyType, name: string): null {
  if (!t.nullable) throw new ProtocolError(`non-nullable field ${name} was null`);
  return null;
}

function readValue(r: Reader, e: Entry, flexible: boolean): unknown {
  const t = e.type;
  if (t.kind === 'prim') return readPrim(r, t, flexible, e.name);
  if (t.kind === 'struct') {
    if (t.nullable && r.int8() < 0) return null;
    return readStruct(r, e.plan!);
  }
  const n = r.length(flexible, true);
  if (n < 0) return nullOrThrow(t, e.name);
  // Every element takes at least one byte: a count beyond the remaining bytes is a lie.
  if (n > r.remaining) throw new ProtocolError(`array ${e.name} of ${n} exceeds frame`);
  const out = new Array(n);
  const elem: Entry = { name: e.name, type: t.of, tag: undefined, def: undefined, plan: e.plan };
  for (let i = 0; i < n; i++) out[i] = readValue(r, elem, flexible);
  return out;
}

function readStruct(r: Reader, plan: Plan): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const e of plan.absent) o[e.name] = absentValue(e);
  for (const e of plan.entries) o[e.name] = readValue(r, e, plan.flexible);
  if (plan.flexible) {
    for (const e of plan.tagged.values()) o[e.name] = absentValue(e);
    readTagged(r, (tag, end) => {
      const e = plan.tagged.get(tag);
      if (e) o[e.name] = readValue(r, e, true);
      r.pos = end;
    });
  }
  return o;
}

function absentValue(e: Entry): unknown {
  if (e.type.kind === 'struct') return e.type.nullable ? null : readDefaults(e.plan!);
  return e.def;
}

function readDefaults(plan: Plan): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const e of [...plan.absent, ...plan.entries, ...plan.tagged.values()]) o[e.name] = absentValue(e);
  return o;
}

/** Reads a tagged-field section, calling fn for each field with the position it must end at. */
export function readTagged(r: Reader, fn: (tag: number, end: number) => void): void {
  const count = r.uvarint();
  let last = -1;
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    if (tag <= last) throw new ProtocolError('tagged fields out of order');
    last = tag;
    const size = r.uvarint();
    const end = r.pos + size;
    if (end > r.end) throw new ProtocolError('tagged field exceeds frame');
    fn(tag, end);
  }
}

// ---------------------------------------------------------------- encode

const EMPTY_BYTES = Buffer.alloc(0);

function writePrim(w: Writer, t: PrimType<unknown>, v: unknown, flexible: boolean, name: string): void {
  switch (t.prim) {
    case 'int8':
      w.int8(v as number);
      return;
    case 'int16':
      w.int16(v as number);
      return;
    case 'int32':
      w.int32(v as number);
      return;
    case 'int64':
      w.int64(v as number);
      return;
    case 'uint16':
      w.uint16(v as number);
      return;
    case 'uint32':
      w.uint32(v as number);
      return;
    case 'float64':
      w.float64(v as number);
      return;
    case 'bool':
      w.bool(v as boolean);
      return;
    case 'uuid':
      w.uuid(v as string);
      return;
    case 'string': {
      if (v === null || v === undefined) {
        if (!t.nullable) throw new ProtocolError(`non-nullable field ${name} is null`);
        w.lengthPrefix(null, flexible, false);
        return;
      }
      const s = v as string;
      const n = Buffer.byteLength(s);
      w.lengthPrefix(n, flexible, false).utf8(s, n);
      return;
    }
    case 'bytes':
    case 'records': {
      if (v === null || v === undefined) {
        if (t.prim === 'records') v = EMPTY_BYTES; // never null on the wire, as Kafka
        else if (!t.nullable) throw new ProtocolError(`non-nullable field ${name} is null`);
        else {
          w.lengthPrefix(null, flexible, true);
          return;
        }
      }
      if (Array.isArray(v)) {
        let n = 0;
        for (const b of v as Buffer[]) n += b.length;
        w.lengthPrefix(n, flexible, true);
        for (const b of v as Buffer[]) w.bytes(b);
        return;
      }
      const b = v as Buffer;
      w.lengthPrefix(b.length, flexible, true).bytes(b);
      return;
    }
  }
}

function writeValue(w: Writer, e: Entry, v: unknown, flexible: boolean): void {
  const t = e.type;
  if (v === undefined) v = e.def;
  if (t.kind === 'prim') return writePrim(w, t, v, flexible, e.name);
  if (t.kind === 'struct') {
    if (t.nullable) {
      if (v === null) {
        w.int8(-1);
        return;
      }
      w.int8(1);
    }
    return writeStruct(w, e.plan!, (v ?? {}) as Record<string, unknown>);
  }
  if (v === null) {
    if (!t.nullable) throw new ProtocolError(`non-nullable field ${e.name} is null`);
    w.lengthPrefix(null, flexible, true);
    return;
  }
  const arr = v as unknown[];
  w.lengthPrefix(arr.length, flexible, true);
  const elem: Entry = { name: e.name, type: t.of, tag: undefined, def: defaultOf(t.of, undefined), plan: e.plan };
  for (const x of arr) writeValue(w, elem, x, flexible);
}

function isDefault(e: Entry, v: unknown): boolean {
  if (v === undefined) return true;
  if (e.type.kind === 'array') return v === e.def || (Array.isArray(v) && v.length === 0 && Array.isArray(e.def));
  if (e.type.kind === 'struct') {
    if (e.type.nullable || v === null) return v === e.def;
    // As Kafka's generated code: a tagged struct equal to a default one is not written.
    for (const f of [...e.plan!.entries, ...e.plan!.tagged.values()]) {
      if (!isDefault(f, (v as Record<string, unknown>)[f.name])) return false;
    }
    return true;
  }
  if (Buffer.isBuffer(v)) return Buffer.isBuffer(e.def) && v.equals(e.def);
  return v === e.def;
}

function writeStruct(w: Writer, plan: Plan, o: Record<string, unknown>): void {
  for (const e of plan.entries) writeValue(w, e, o[e.name], plan.flexible);
  if (!plan.flexible) return;
  const present: [number, Entry][] = [];
  for (const [tag, e] of plan.tagged) if (!isDefault(e, o[e.name])) present.push([tag, e]);
  present.sort((a, b) => a[0] - b[0]);
  w.uvarint(present.length);
  for (const [tag, e] of present) {
    const inner = new Writer(64);
    writeValue(inner, e, o[e.name], true);
    const body = inner.toBuffer();
    w.uvarint(tag).uvarint(body.length).bytes(body);
  }
}

// ---------------------------------------------------------------- messages

export interface Message<F extends Fields> {
  struct: StructType<F>;
  flexibleFrom: number; // first flexible version, Infinity if none
}

export function decode<F extends Fields>(m: Message<F>, version: number, r: Reader): In<StructType<F>> {
  return readStruct(r, planFor(m.struct, version, version >= m.flexibleFrom)) as In<StructType<F>>;
}

export function encode<F extends Fields>(m: Message<F>, version: number, value: Out<StructType<F>>, w: Writer): void {
  writeStruct(w, planFor(m.struct, version, version >= m.flexibleFrom), value as Record<string, unknown>);
}

/**
 * The listener types an API is served on, from the spec's "listeners" (zkBroker aside): a KRaft
 * node's broker listener, its controller listener (controller.listener.names), or both.
 */
export type ApiListener = 'broker' | 'controller';

/** One Kafka API: key, the versions the specs define, its flexible start, request and response. */
export interface ApiSchema<Q extends Fields = Fields, S extends Fields = Fields> {
  key: number;
  name: string;
  specVersions: Range;
  flexibleFrom: number;
  listeners: readonly ApiListener[];
  request: Message<Q>;
  response: Message<S>;
}

export function api<Q extends Fields, S extends Fields>(
  key: number,
  name: string,
  opts: { versions: string; flexible?: number; listeners?: readonly ApiListener[] },
  request: Q,
  response: S,
): ApiSchema<Q, S> {
  const flexibleFrom = opts.flexible ?? Infinity;
  return {
    key,
    name,
    specVersions: parseRange(opts.versions),
    flexibleFrom,
    listeners: opts.listeners ?? ['broker'],
    request: { struct: struct(request), flexibleFrom },
    response: { struct: struct(response), flexibleFrom },
  };
}

export type RequestOf<A> = A extends ApiSchema<infer Q, Fields> ? In<StructType<Q>> : never;
export type ResponseOf<A> = A extends ApiSchema<Fields, infer S> ? Out<StructType<S>> : never;
export type DecodedResponseOf<A> = A extends ApiSchema<Fields, infer S> ? In<StructType<S>> : never;
export type RequestOutOf<A> = A extends ApiSchema<infer Q, Fields> ? Out<StructType<Q>> : never;
