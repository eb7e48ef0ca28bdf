import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { Gauge, Registry } from 'prom-client';
import { parsePrometheus, prometheusPython } from '../../broker/testing/prometheus.ts';
import { parsePromText, PromTextError } from './metrics-prom-text.ts';

const DATA = new URL('./metrics-testdata/', import.meta.url);
const fixtures = readdirSync(DATA).filter((f) => f.endsWith('.prom'));

test('real node output: the same samples as the Prometheus client library parser reads', { skip: !prometheusPython() && 'python3-prometheus-client missing' }, async () => {
  assert.equal(fixtures.length, 6);
  for (const f of fixtures) {
    const text = readFileSync(new URL(f, DATA), 'utf8');
    const ours = parsePromText(text);
    const theirs = await parsePrometheus(text);
    assert.equal(ours.samples.length, theirs.length, f);
    ours.samples.forEach((s, i) => {
      const t = theirs[i];
      assert.equal(s.name, t.name, `${f} sample ${i}`);
      assert.deepEqual(s.labels, t.labels, `${f} sample ${i}`);
      assert.ok(Object.is(s.value, t.value) || s.value === t.value, `${f} ${s.name}: ${s.value} vs ${t.value}`);
    });
    assert.equal(ours.types.get('kafka_network_requestmetrics_totaltimems'), 'histogram');
    assert.equal(ours.types.get('kafka_server_brokertopicmetrics_bytesin_total'), 'counter');
    assert.equal(ours.types.get('kafka_log_log_size'), 'gauge');
  }
});

test('escapes, special values, timestamps, trailing comma, CRLF and blank lines', () => {
  const text = [
    '# HELP x_total A "help" with \\\\ and \\n',
    '# TYPE x_total counter',
    'x_total{a="q\\"uote",b="back\\\\slash",c="new\\nline",} 1.5e3 1700000000000',
    '',
    '  y NaN',
    'y_inf{le="+Inf"} +Inf\r',
    'y_neg -Inf',
    'z{a = "sp aced" , b="}"}   -0.25  ',
  ].join('\n');
  const { samples, types } = parsePromText(text);
  assert.equal(types.get('x_total'), 'counter');
  assert.deepEqual(samples[0], { name: 'x_total', labels: { a: 'q"uote', b: 'back\\slash', c: 'new\nline' }, value: 1500, timestamp: 1700000000000 });
  assert.ok(Number.isNaN(samples[1].value));
  assert.equal(samples[2].value, Infinity);
  assert.deepEqual(samples[2].labels, { le: '+Inf' });
  assert.equal(samples[3].value, -Infinity);
  assert.deepEqual(samples[4], { name: 'z', labels: { a: 'sp aced', b: '}' }, value: -0.25, timestamp: null });
});

test('malformed text is refused with its line number', () => {
  const bad: [string, RegExp][] = [
    ['ok 1\nbad{a="x} 1', /line 2: unterminated/],
    ['m{a="x"} ', /line 1: expected a value/],
    ['m{a=x} 1', /line 1: expected a quoted value/],
    ['m{a="x" b="y"} 1', /line 1: expected , or }/],
    ['m{a="\\t"} 1', /line 1: bad escape/],
    ['m 0x10', /bad value/],
    ['m 1 2 3', /expected a value/],
    ['m 1 1.5', /bad timestamp/],
    ['m{a="1",a="2"} 1', /repeated/],
    ['1m 1', /expected a metric name/],
    ['# TYPE m widget', /unknown type/],
    ['# TYPE m gauge\n# TYPE m gauge', /line 2: second TYPE/],
  ];
  for (const [text, why] of bad) {
    assert.throws(() => parsePromText(text), (e: unknown) => e instanceof PromTextError && why.test(e.message), text);
  }
});

test('whatever prom-client writes, including hostile label values, parses back to the same values', async () => {
  const labelValue = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '"', '\\', '\n', '{', '}', ',', '=', 'é', '#') });
  const value = fc.oneof(fc.double({ noNaN: true }), fc.constant(NaN), fc.integer());
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(fc.tuple(labelValue, value), { minLength: 1, maxLength: 8, selector: ([l]) => l }), async (rows) => {
      const registry = new Registry();
      const g = new Gauge({ name: 'samsa_prop_gauge', help: 'x\\y\nz', labelNames: ['l'], registers: [registry] });
      for (const [l, v] of rows) g.set({ l }, v);
      const { samples } = parsePromText(await registry.metrics());
      assert.equal(samples.length, rows.length);
      for (const [l, v] of rows) {
        const s = samples.find((x) => x.labels.l === l);
        assert.ok(s, `label ${JSON.stringify(l)}`);
        assert.ok(Object.is(s.value, v) || s.value === v, `${JSON.stringify(l)}: ${s.value} vs ${v}`);
      }
    }),
    { numRuns: 200 },
  );
});
