// Cross-checks our TypeScript schema declarations against Kafka's own message specs
// (../shared/kafka-reference/message/*.json) when that folder is present: api key, valid and
// flexible versions, the listeners it is served on, and every field's name, order, type, versions, tag, nullability and default.
// A wrong declaration would silently mis-encode a message, so any difference fails here.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allSchemas } from './messages/all-schemas.ts';
import { parseRange, type AnyType, type ApiSchema, type FieldOpts, type Fields, type Range } from './schema.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Beside the main checkout (/work/main -> /work/shared) or a worktree (/work/wt/x -> /work/shared).
const specDir =
  ['../shared', '../../shared'].map((p) => path.resolve(repoRoot, p, 'kafka-reference/message')).find(existsSync) ??
  path.resolve(repoRoot, '../shared/kafka-reference/message');

interface SpecField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number | string;
  default?: string | number | boolean;
  fields?: SpecField[];
}
interface SpecMessage {
  apiKey: number;
  validVersions: string;
  flexibleVersions: string;
  listeners?: string[];
  fields: SpecField[];
  commonStructs?: { name: string; fields: SpecField[] }[];
}

function loadSpec(file: string): SpecMessage {
  // The specs are JSON with whole-line // comments.
  const text = readFileSync(path.join(specDir, file), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return JSON.parse(text) as SpecMessage;
}

const EMPTY: Range = { min: 1, max: 0 };
function intersect(a: Range, b: Range): Range {
  const r = { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
  return r.min > r.max ? EMPTY : r;
}
const show = (r: Range) => (r.min > r.max ? 'none' : r.max === 32767 ? `${r.min}+` : `${r.min}-${r.max}`);

const PRIMS = new Set([
  'int8',
  'int16',
  'int32',
  'int64',
  'uint16',
  'uint32',
  'float64',
  'bool',
  'uuid',
  'string',
  'bytes',
  'records',
]);

/** The value Kafka's generated code uses when the spec gives none: the codec's own fallback. */
function specDefault(f: SpecField): unknown {
  const d = f.default;
  if (d === undefined || d === 'null' || d === '') return undefined;
  if (typeof d === 'boolean') return d || undefined;
  if (d === 'true') return true;
  if (d === 'false') return undefined;
  if (f.type === 'string') return d;
  const n = typeof d === 'number' ? d : Number(d); // Number() reads 0x7fffffff too
  return n === 0 ? undefined : n;
}

function describeType(t: AnyType): string {
  if (t.kind === 'prim') return t.prim;
  if (t.kind === 'array') return `[]${describeType(t.of)}`;
  return 'struct';
}

function compareFields(
  problems: string[],
  where: string,
  ours: Fields,
  spec: SpecField[],
  commons: Map<string, SpecField[]>,
  parent: Range,
): void {
  const ourNames = Object.keys(ours);
  const specNames = spec.map((f) => f.name[0].toLowerCase() + f.name.slice(1));
  if (ourNames.join(',') !== specNames.join(',')) {
    problems.push(`${where}: fields [${ourNames.join(', ')}], spec has [${specNames.join(', ')}]`);
  }
  spec.forEach((sf, i) => {
    const name = specNames[i];
    const decl = ours[name];
    const at = `${where}.${name}`;
    if (decl === undefined) return;
    const opts: FieldOpts = 'kind' in decl ? { type: decl as AnyType } : (decl as FieldOpts);

    const specRange = intersect(parseRange(sf.versions), parent);
    const ourRange = intersect(parseRange(opts.v), parent);
    if (show(specRange) !== show(ourRange)) problems.push(`${at}: versions ${show(ourRange)}, spec ${show(specRange)}`);

    const specTag = sf.tag === undefined ? undefined : Number(sf.tag); // some specs write "0"
    if (opts.tag !== specTag) problems.push(`${at}: tag ${opts.tag}, spec ${specTag}`);
    if (sf.tag !== undefined && sf.taggedVersions !== sf.versions) {
      problems.push(`${at}: spec tagged in ${sf.taggedVersions} but present in ${sf.versions} (unsupported)`);
    }

    const nullableRange =
      sf.nullableVersions === undefined ? EMPTY : intersect(parseRange(sf.nullableVersions), specRange);
    const specNullable = nullableRange.min <= nullableRange.max;
    const t = opts.type;
    const ourNullable = t.kind === 'struct' ? t.nullable === true : t.nullable;
    const isArray = sf.type.startsWith('[]');
    const base = isArray ? sf.type.slice(2) : sf.type;
    // records are always nullable in our codec (T.records), as in Kafka's generated code.
    if (base !== 'records' && ourNullable !== specNullable) {
      problems.push(`${at}: nullable ${ourNullable}, spec nullable in ${sf.nullableVersions ?? 'none'}`);
    }

    const expDefault = specDefault(sf);
    if (opts.default !== expDefault)
      problems.push(`${at}: default ${String(opts.default)}, spec ${String(expDefault)}`);

    // Type: unwrap one array level, then a primitive or a struct.
    let elem: AnyType = t;
    if (isArray) {
      if (t.kind !== 'array') {
        problems.push(`${at}: type ${describeType(t)}, spec ${sf.type}`);
        return;
      }
      elem = t.of;
    } else if (t.kind === 'array') {
      problems.push(`${at}: type ${describeType(t)}, spec ${sf.type}`);
      return;
    }
    if (PRIMS.has(base)) {
      if (elem.kind !== 'prim' || elem.prim !== base) problems.push(`${at}: type ${describeType(t)}, spec ${sf.type}`);
      else if (isArray && elem.nullable) problems.push(`${at}: array elements declared nullable`);
      return;
    }
    const sub = sf.fields ?? commons.get(base);
    if (!sub) {
      problems.push(`${at}: spec struct ${base} not found`);
      return;
    }
    if (elem.kind !== 'struct') {
      problems.push(`${at}: type ${describeType(t)}, spec ${sf.type}`);
      return;
    }
    if (isArray && elem.nullable) problems.push(`${at}: array elements declared nullable`);
    compareFields(problems, at, elem.fields as Fields, sub, commons, specRange);
  });
}

/** Every difference between one schema and its spec pair, as readable lines. */
export function specProblems(schema: ApiSchema): string[] {
  const problems: string[] = [];
  const req = loadSpec(`${schema.name}Request.json`);
  const res = loadSpec(`${schema.name}Response.json`);
  for (const [kind, spec] of [
    ['request', req],
    ['response', res],
  ] as const) {
    if (spec.apiKey !== schema.key) problems.push(`${kind}: api key ${schema.key}, spec ${spec.apiKey}`);
    const valid = parseRange(spec.validVersions);
    if (show(valid) !== show(schema.specVersions)) {
      problems.push(`${kind}: versions ${show(schema.specVersions)}, spec ${spec.validVersions}`);
    }
    const flex = spec.flexibleVersions === 'none' ? Infinity : parseRange(spec.flexibleVersions).min;
    if (flex !== schema.flexibleFrom) problems.push(`${kind}: flexible from ${schema.flexibleFrom}, spec ${flex}`);
    if (kind === 'request') {
      // Where the API is served (the controller listener is issue 13's): zkBroker has no meaning here.
      const specListeners = (spec.listeners ?? []).filter((l) => l !== 'zkBroker').sort().join(',');
      const ours = [...schema.listeners].sort().join(',');
      if (ours !== specListeners) problems.push(`listeners [${ours}], spec [${specListeners}]`);
    }
    const commons = new Map((spec.commonStructs ?? []).map((c) => [c.name, c.fields] as const));
    const message = kind === 'request' ? schema.request : schema.response;
    compareFields(
      problems,
      `${schema.name}${kind === 'request' ? 'Request' : 'Response'}`,
      message.struct.fields,
      spec.fields,
      commons,
      valid,
    );
  }
  return problems;
}

test('schema declarations match the Kafka message specs', async (t) => {
  if (!existsSync(specDir)) {
    t.skip('reference specs not present');
    return;
  }
  const keys = new Set<number>();
  for (const schema of allSchemas) {
    await t.test(schema.name, () => {
      assert.ok(!keys.has(schema.key), `api key ${schema.key} declared twice`);
      keys.add(schema.key);
      assert.deepEqual(specProblems(schema), []);
    });
  }
});

test('the cross-check catches a wrong declaration', async (t) => {
  if (!existsSync(specDir)) {
    t.skip('reference specs not present');
    return;
  }
  const { api, array, struct, T } = await import('./schema.ts');
  // Heartbeat with a wrong type, a missing version bound, a wrong default and a lost field.
  const broken = api(
    12,
    'Heartbeat',
    { versions: '0-4', flexible: 4 },
    { groupId: T.string, generationId: T.int64, memberId: T.string, groupInstanceId: T.nstring },
    { throttleTimeMs: { type: T.int32, default: 5 }, errorCode: T.int16, extra: array(struct({ a: T.int8 })) },
  );
  const problems = specProblems(broken);
  assert.ok(
    problems.some((p) => p.includes('generationId: type int64')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.includes('groupInstanceId: versions 0-4, spec 3-4')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.includes('throttleTimeMs: versions 0-4, spec 1-4')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.includes('throttleTimeMs: default 5')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.includes('fields [throttleTimeMs, errorCode, extra]')),
    problems.join('\n'),
  );
  // Vote declared as a broker API: it would be served to clients on the broker listener.
  const { Vote } = await import('./messages/vote.ts');
  const exposed = specProblems({ ...Vote, listeners: ['broker', 'controller'] });
  assert.deepEqual(exposed, ['listeners [broker,controller], spec [controller]']);
});
