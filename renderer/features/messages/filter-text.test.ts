import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFilter } from './filter-text.ts';

test('field=value words are field filters, the rest is text; empty is no filter', () => {
  assert.equal(parseFilter('   '), null);
  assert.deepEqual(parseFilter('level=ERROR  service=payments'), {
    text: '',
    fields: [
      { path: 'level', equals: 'ERROR' },
      { path: 'service', equals: 'payments' },
    ],
  });
  assert.deepEqual(parseFilter('timed out level=ERROR'), { text: 'timed out', fields: [{ path: 'level', equals: 'ERROR' }] });
  assert.deepEqual(parseFilter('user.country=NL'), { text: '', fields: [{ path: 'user.country', equals: 'NL' }] });
  // "=x" has no field name: it is text.
  assert.deepEqual(parseFilter('=x'), { text: '=x', fields: [] });
});
