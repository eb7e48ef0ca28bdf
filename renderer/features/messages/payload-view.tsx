// A key, value or header shown in a chosen format, with the long ones cut until expanded and a
// way to load a value the server cut (values over the browse limit).
import { useState } from 'react';
import { detectFormat, FORMATS, render, type PayloadFormat } from './payload-format.ts';
import { formatBytes } from '../../components/format.ts';

const COLLAPSED_CHARS = 4000;

export function PayloadView({
  label,
  b64,
  size,
  serverTruncated,
  onLoadFull,
}: {
  label: string;
  b64: string | null;
  size: number;
  serverTruncated?: boolean;
  onLoadFull?: () => void;
}) {
  const [format, setFormat] = useState<PayloadFormat>(() => detectFormat(b64));
  const [expanded, setExpanded] = useState(false);
  const text = render(b64, format);
  const cut = !expanded && text.length > COLLAPSED_CHARS;
  return (
    <section className="payload" aria-label={label}>
      <div className="payload-head">
        <h3>{label}</h3>
        <span className="muted">{b64 === null ? 'null' : formatBytes(size)}</span>
        <div className="segmented" role="group" aria-label={`${label} format`}>
          {FORMATS.map((f) => (
            <button key={f} className={f === format ? 'active' : ''} aria-pressed={f === format} onClick={() => setFormat(f)}>
              {f}
            </button>
          ))}
        </div>
      </div>
      <pre className={b64 === null ? 'payload-text null' : 'payload-text'}>{cut ? text.slice(0, COLLAPSED_CHARS) + '…' : text}</pre>
      {cut && (
        <button className="link" onClick={() => setExpanded(true)}>
          Show all ({text.length.toLocaleString()} characters)
        </button>
      )}
      {serverTruncated && onLoadFull && (
        <button className="link" onClick={onLoadFull}>
          Value cut at the browse limit — load the full {formatBytes(size)}
        </button>
      )}
    </section>
  );
}
