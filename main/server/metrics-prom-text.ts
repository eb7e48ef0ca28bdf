// A parser for the Prometheus text exposition format (version 0.0.4, what prom-client and every
// Prometheus client library write): `# HELP` / `# TYPE` lines, and samples
// `name{label="value",...} value [timestamp]` with the format's escapes in label values
// (\\, \", \n), values NaN / +Inf / -Inf, optional trailing comma in the label set. No
// maintained parser is installed (prom-client only writes this format), and the console reads
// three nodes' ~130 KB a second, so it is a single pass over the text without regexes per line.
// Malformed text throws a PromTextError naming the line; the caller treats the scrape as failed.

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** ms since the epoch, when the line has one */
  timestamp: number | null;
}

export interface PromText {
  samples: PromSample[];
  /** family name → counter | gauge | histogram | summary | untyped */
  types: Map<string, string>;
}

export class PromTextError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58; // A-Z a-z _ :
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
const isBlank = (c: number) => c === 32 || c === 9;

/** As Go's strconv.ParseFloat, which Prometheus uses: NaN and Inf in any case (prom-client writes `Nan`). */
function parseValue(s: string): number {
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(s);
  if (special) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  const v = Number(s);
  // Number('') is 0 and Number('0x10') is 16: neither is a Prometheus value.
  if (s === '' || Number.isNaN(v) || /[xXbBoO_]/.test(s)) throw new Error(`bad value "${s}"`);
  return v;
}

/** One sample line, from `start` to `end` (exclusive) of `text`. */
function parseSample(text: string, start: number, end: number): PromSample {
  let i = start;
  if (!isNameStart(text.charCodeAt(i))) throw new Error('expected a metric name');
  while (i < end && isNameChar(text.charCodeAt(i))) i++;
  const name = text.slice(start, i);
  const labels: Record<string, string> = {};
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 123 /* { */) {
    i++;
    for (;;) {
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === 125 /* } */) {
        i++;
        break;
      }
      const ls = i;
      if (!isNameStart(text.charCodeAt(i))) throw new Error('expected a label name');
      while (i < end && isNameChar(text.charCodeAt(i))) i++;
      const label = text.slice(ls, i);
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i++) !== 61 /* = */) throw new Error(`expected = after label ${label}`);
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i++) !== 34 /* " */) throw new Error(`expected a quoted value for label ${label}`);
      let value = '';
      let run = i;
      for (;;) {
        if (i >= end) throw new Error(`unterminated value of label ${label}`);
        const c = text.charCodeAt(i);
        if (c === 34) break;
        if (c === 92 /* \ */) {
          value += text.slice(run, i);
          const e = text.charCodeAt(i + 1);
          if (e === 110) value += '\n';
          else if (e === 92) value += '\\';
          else if (e === 34) value += '"';
          else throw new Error(`bad escape \\${text[i + 1] ?? ''} in label ${label}`);
          i += 2;
          run = i;
        } else i++;
      }
      value += text.slice(run, i);
      i++; // closing quote
      if (Object.hasOwn(labels, label)) throw new Error(`label ${label} repeated`);
      labels[label] = value;
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      const sep = text.charCodeAt(i);
      if (sep === 44 /* , */) i++;
      else if (sep !== 125) throw new Error(`expected , or } after label ${label}`);
    }
  }
  const fields = text.slice(i, end).trim().split(/[ \t]+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') throw new Error('expected a value (and an optional timestamp)');
  const value = parseValue(fields[0]);
  let timestamp: number | null = null;
  if (fields.length === 2) {
    timestamp = Number(fields[1]);
    if (!Number.isInteger(timestamp)) throw new Error(`bad timestamp "${fields[1]}"`);
  }
  return { name, labels, value, timestamp };
}

export function parsePromText(text: string): PromText {
  const samples: PromSample[] = [];
  const types = new Map<string, string>();
  let start = 0;
  let line = 0;
  while (start < text.length) {
    line++;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let s = start;
    while (s < end && isBlank(text.charCodeAt(s))) s++;
    let e = end;
    if (e > s && text.charCodeAt(e - 1) === 13) e--; // tolerate CRLF
    try {
      if (s === e) {
        // blank line
      } else if (text.charCodeAt(s) === 35 /* # */) {
        const parts = text.slice(s + 1, e).trim().split(/[ \t]+/);
        if (parts[0] === 'TYPE') {
          if (parts.length !== 3) throw new Error('expected # TYPE <name> <type>');
          if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(parts[2])) throw new Error(`unknown type ${parts[2]}`);
          if (types.has(parts[1])) throw new Error(`second TYPE line for ${parts[1]}`);
          types.set(parts[1], parts[2]);
        }
        // HELP text and other comments carry nothing the console uses.
      } else {
        samples.push(parseSample(text, s, e));
      }
    } catch (err) {
      throw new PromTextError(line, (err as Error).message);
    }
    start = end + 1;
  }
  return { samples, types };
}
