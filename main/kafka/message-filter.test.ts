// The browse filter's test on records' bytes: text in key, value or header (ignoring case),
// JSON fields equal as text (nested paths, numbers), non-JSON values and missing fields.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageFilterSchema, type MessageFilter } from '../contract/index.ts';
import { fieldText, recordFilter } from './message-filter.ts';
import type { RawRecord } from './records.ts';

const rec = (key: string | null, value: string | null, headers: [string, string][] = []): RawRecord => ({
  offset: 0,
  timestamp: 0,
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: headers.map(([k, v]) => [Buffer.from(k), Buffer.from(v)]),
  transactional: false,
  control: null,
});
const keeps = (f: MessageFilter, r: RawRecord) => {
  const t = recordFilter(MessageFilterSchema.parse(f));
  assert.ok(t, 'a filter with something in it is a test');
  return t(r);
};

const log = rec('payments', JSON.stringify({ service: 'payments', level: 'ERROR', ms: 42, user: { country: 'NL' } }), [['trace', 'abc123']]);

test('an empty filter keeps everything (no test at all)', () => {
  assert.equal(recordFilter(null), null);
  assert.equal(recordFilter(MessageFilterSchema.parse({ text: '  ' })), null);
});

test('text: in the key, the value or a header value, ignoring case', () => {
  assert.equal(keeps({ text: 'PAYMENTS' }, rec('payments', 'x')), true);
  assert.equal(keeps({ text: 'declined' }, rec(null, 'Payment DECLINED')), true);
  assert.equal(keeps({ text: 'abc123' }, log), true);
  assert.equal(keeps({ text: 'refund' }, log), false);
});

test('fields: equal as text ignoring case, nested paths, every one must match', () => {
  assert.equal(keeps({ fields: [{ path: 'level', equals: 'error' }] }, log), true);
  assert.equal(keeps({ fields: [{ path: 'level', equals: 'ERROR' }, { path: 'service', equals: 'payments' }] }, log), true);
  assert.equal(keeps({ fields: [{ path: 'level', equals: 'ERROR' }, { path: 'service', equals: 'auth' }] }, log), false);
  assert.equal(keeps({ fields: [{ path: 'ms', equals: '42' }] }, log), true);
  assert.equal(keeps({ fields: [{ path: 'user.country', equals: 'nl' }] }, log), true);
  // A substring is not equal, a missing field and a non-JSON value match nothing.
  assert.equal(keeps({ fields: [{ path: 'level', equals: 'ERR' }] }, log), false);
  assert.equal(keeps({ fields: [{ path: 'region', equals: 'eu' }] }, log), false);
  assert.equal(keeps({ fields: [{ path: 'level', equals: 'ERROR' }] }, rec(null, 'level=ERROR')), false);
  assert.equal(keeps({ fields: [{ path: 'level', equals: 'ERROR' }] }, rec('k', null)), false);
  // Text and fields together.
  assert.equal(keeps({ text: 'abc', fields: [{ path: 'level', equals: 'ERROR' }] }, log), true);
  assert.equal(keeps({ text: 'zzz', fields: [{ path: 'level', equals: 'ERROR' }] }, log), false);
});

test('fieldText: scalars as text, objects and arrays are not a field value', () => {
  const v = { a: { b: true }, n: null, list: [1], 'dotted': 1 };
  assert.equal(fieldText(v, 'a.b'), 'true');
  assert.equal(fieldText(v, 'n'), 'null');
  assert.equal(fieldText(v, 'a'), null);
  assert.equal(fieldText(v, 'list'), null);
  assert.equal(fieldText(v, 'toString'), null);
  assert.equal(fieldText('text', 'a'), null);
});

test('bad filters are refused in words', () => {
  const r = MessageFilterSchema.safeParse({ fields: [{ path: '', equals: 'x' }] });
  assert.equal(r.success, false);
  assert.match(r.error!.issues[0].message, /needs a field name/);
  assert.equal(MessageFilterSchema.safeParse({ text: 'x', other: 1 }).success, false);
});
