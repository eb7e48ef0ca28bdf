// The browse filter (MessageFilterSchema) as a test on a fetched record's bytes: the text must
// occur, ignoring case, in the key, the value or a header value (search.ts's matcher), and each
// field must be in the value parsed as JSON, equal as text ignoring case (a number 42 equals
// "42"; a dotted path "user.country" reaches into nested objects). A value that is not a JSON
// object matches no field filter. An empty filter keeps everything.
import type { z } from 'zod';
import type { MessageFilterSchema } from '../contract/index.ts';
import type { RawRecord } from './records.ts';
import { matcher } from './search.ts';

type Filter = z.output<typeof MessageFilterSchema>;

/** The field at a dotted path of a parsed JSON value, as text; null when it is not there or not a scalar. */
export function fieldText(value: unknown, path: string): string | null {
  let at: unknown = value;
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, part)) return null;
    at = Object.entries(at).find(([k]) => k === part)?.[1];
  }
  return typeof at === 'string' || typeof at === 'number' || typeof at === 'boolean' ? String(at) : at === null ? 'null' : null;
}

function parseJson(bytes: Buffer | null): unknown {
  if (bytes === null) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The filter's test, or null when it keeps everything (no text, no fields). */
export function recordFilter(f: Filter | null): ((r: RawRecord) => boolean) | null {
  if (!f) return null;
  const text = f.text.trim().toLowerCase();
  const fields = f.fields.map((x) => ({ path: x.path.trim(), equals: x.equals.trim().toLowerCase() }));
  if (!text && fields.length === 0) return null;
  const hasText = text ? matcher(text, false) : null;
  return (r) => {
    if (hasText && !hasText(r)) return false;
    if (fields.length === 0) return true;
    const value = parseJson(r.value);
    return fields.every((x) => fieldText(value, x.path)?.toLowerCase() === x.equals);
  };
}
