// Lints the learn scenarios' texts against the UI they talk about: every step text is 2–4
// sentences of reasonable length; every element a step highlights carries that
// data-learn-target in the renderer's source, on a screen the app routes; every UI label a text
// quotes “like this” is a label the renderer really renders. (The e2e journeys then see each
// highlighted element on its screen.)
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SCENARIOS } from './scenarios/index.ts';

const RENDERER = join(import.meta.dirname, '..', '..');
const LEARN = import.meta.dirname;

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return p === LEARN ? [] : sources(p);
    return e.name.endsWith('.tsx') || (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) ? [{ path: p, text: readFileSync(p, 'utf8') }] : [];
  });
}
const ui = sources(RENDERER);
const allText = ui.map((f) => f.text).join('\n');

/** Literal data-learn-target names, and the prefixes of templated ones (`replica-row:${name}`). */
const literal = new Set<string>();
const prefixes = new Set<string>();
for (const m of allText.matchAll(/data-learn-target=(?:"([^"]+)"|\{`([^`$]*)\$\{)/g)) {
  if (m[1]) for (const w of m[1].split(/\s+/)) literal.add(w);
  else prefixes.add(m[2]);
}
const routes = [...readFileSync(join(RENDERER, 'app.tsx'), 'utf8').matchAll(/matchPath\('([^']+)'/g)].map((m) => new RegExp('^' + m[1].replace(/:[a-zA-Z]+/g, '[^/]+') + '$'));

const sentences = (text: string) => text.split(/(?<=[.!?])\s+/).filter(Boolean);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Rendered as JSX text (>Label<) or as a string literal ('Label', used for labels built from tables). */
const rendersLabel = (label: string) => new RegExp(`>\\s*${escape(label)}\\s*<|['"\`]${escape(label)}['"\`]`, 'i').test(allText);

test('the lint finds what it looks for (so an empty scan cannot pass it)', () => {
  assert.ok(literal.has('create-topic') && prefixes.has('replica-row:'), [...literal, ...prefixes].join());
  assert.ok(routes.some((r) => r.test('/topics/x')));
  assert.ok(rendersLabel('Create topic'));
  assert.ok(!rendersLabel('Launch the rockets'));
  assert.equal(sentences('One. Two: acks=all. Three?').length, 3);
});

for (const scenario of SCENARIOS) {
  test(`scenario ${scenario.id}: texts, targets and quoted labels`, () => {
    assert.ok(sentences(scenario.concept).length <= 2, scenario.concept);
    const ids = new Set<string>();
    for (const step of scenario.steps) {
      const where = `${scenario.id}/${step.id}`;
      assert.ok(!ids.has(step.id), `${where}: duplicate step id`);
      ids.add(step.id);
      const ss = sentences(step.text);
      assert.ok(ss.length >= 2 && ss.length <= 4, `${where}: ${ss.length} sentences: ${step.text}`);
      assert.match(step.text, /[.!?]$/, `${where}: ends mid-sentence`);
      for (const s of ss) assert.ok(s.split(/\s+/).length <= 45, `${where}: a sentence of more than 45 words: ${s}`);
      if (step.target) {
        const { name, screen } = step.target;
        const known = literal.has(name) || [...prefixes].some((p) => name.startsWith(p) && name.length > p.length);
        assert.ok(known, `${where}: no element has data-learn-target "${name}"`);
        const path = decodeURIComponent(screen.split('?')[0]);
        assert.ok(path === '/' || routes.some((r) => r.test(path)), `${where}: ${screen} is not a screen of the app`);
      }
      for (const m of step.text.matchAll(/“([^”]+)”/g)) assert.ok(rendersLabel(m[1]), `${where}: the UI renders no “${m[1]}”`);
    }
  });
}
