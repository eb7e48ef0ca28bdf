// How bytes are shown: auto-detect pretty JSON, plain text, or hex for binary; the user can
// switch to any view. Detection only looks at the bytes, never at topic names.
export type PayloadFormat = 'string' | 'json' | 'hex' | 'base64';
export const FORMATS: PayloadFormat[] = ['string', 'json', 'hex', 'base64'];

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

function printableText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return null;
  }
  // Control characters other than tab/newline/carriage return mean binary data.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text) ? null : text;
}

function asJson(text: string): string | null {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return null;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return null;
  }
}

export function detectFormat(b64: string | null): PayloadFormat {
  if (b64 === null) return 'string';
  const text = printableText(base64ToBytes(b64));
  if (text === null) return 'hex';
  return asJson(text) !== null ? 'json' : 'string';
}

function hex(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = Array.from(bytes.subarray(i, i + 16), (b) => b.toString(16).padStart(2, '0')).join(' ');
    parts.push(`${i.toString(16).padStart(8, '0')}  ${row}`);
  }
  return parts.join('\n');
}

export function render(b64: string | null, format: PayloadFormat): string {
  if (b64 === null) return 'null';
  if (format === 'base64') return b64;
  const bytes = base64ToBytes(b64);
  if (format === 'hex') return hex(bytes);
  const text = lenientUtf8.decode(bytes);
  if (format === 'json') return asJson(text) ?? text;
  return text;
}

/** One-line preview for list rows. */
export function preview(b64: string | null, max = 200): string {
  if (b64 === null) return 'null';
  const bytes = base64ToBytes(b64.length > max * 2 ? b64.slice(0, Math.ceil((max * 4) / 3 / 4) * 4) : b64);
  const text = printableText(bytes) ?? lenientUtf8.decode(bytes);
  const isBinary = printableText(bytes) === null && !/^[\x20-\x7E]*$/.test(text);
  const line = isBinary ? hex(bytes.subarray(0, 32)).replace(/^0+\s+/, '') : text.replace(/\s+/g, ' ');
  return line.length > max ? line.slice(0, max) + '…' : line;
}
