// The Messages screen's "Filter" box as a browse filter: words of the form field=value are JSON
// value fields that must equal the value (level=ERROR service=payments, user.country=NL); the
// rest, joined by spaces, is text the key, value or a header must contain. Empty: no filter.
import type { MessageFilter } from '../../../main/contract/index.ts';

export function parseFilter(input: string): MessageFilter | null {
  const fields: { path: string; equals: string }[] = [];
  const words: string[] = [];
  for (const w of input.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([^=\s]+)=(.*)$/.exec(w);
    if (m) fields.push({ path: m[1], equals: m[2] });
    else words.push(w);
  }
  if (fields.length === 0 && words.length === 0) return null;
  return { text: words.join(' '), fields };
}
