// Export of one chart: the series it shows (legend-hidden ones left out) as CSV, one row per
// point time, and the picture as PNG. The PNG is drawn in the browser: the chart's SVG is cloned
// with every element's computed colours and fonts written inline (the page's CSS variables mean
// nothing to a standalone image), rasterised on a canvas behind the title, with the legend
// (HTML in recharts, not SVG) drawn under it.

export interface CsvColumn {
  label: string;
  v: (number | null)[];
}

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** `timestamp_ms,time,<label (unit)>...`, then one line per point; a gap is an empty field. */
export function seriesCsv(t: number[], columns: CsvColumn[], unit: string): string {
  const head = ['timestamp_ms', 'time', ...columns.map((c) => `${c.label} (${unit})`)].map(field).join(',');
  const rows = t.map((at, i) => [String(at), new Date(at).toISOString(), ...columns.map((c) => (c.v[i] === null || c.v[i] === undefined ? '' : String(c.v[i])))].join(','));
  return [head, ...rows].join('\r\n') + '\r\n';
}

/** A file name for an export: the chart's id and the newest point's time. */
export const exportName = (chartId: string, at: number, ext: 'csv' | 'png') => `samsa-${chartId}-${new Date(at).toISOString().replaceAll(':', '-').slice(0, 19)}.${ext}`;

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const INLINE = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility', 'display'];

function standaloneSvg(svg: SVGSVGElement, width: number, height: number): string {
  const clone = svg.cloneNode(true);
  if (!(clone instanceof SVGSVGElement)) throw new Error('The chart is not an SVG');
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  from.forEach((el, i) => {
    const target = to[i];
    if (!(target instanceof SVGElement)) return;
    const cs = getComputedStyle(el);
    for (const p of INLINE) target.style.setProperty(p, cs.getPropertyValue(p));
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  return new XMLSerializer().serializeToString(clone);
}

export interface PngOptions {
  title: string;
  legend: { label: string; color: string }[];
  background: string;
  foreground: string;
  font: string;
}

const TITLE_H = 26;
const LEGEND_H = 22;

export async function chartPng(svg: SVGSVGElement, o: PngOptions): Promise<Blob> {
  const { width, height } = svg.getBoundingClientRect();
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(standaloneSvg(svg, width, height))}`;
  await img.decode();
  const scale = Math.max(1, Math.round(window.devicePixelRatio || 1));
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil((height + TITLE_H + LEGEND_H) * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas');
  ctx.scale(scale, scale);
  ctx.fillStyle = o.background;
  ctx.fillRect(0, 0, width, height + TITLE_H + LEGEND_H);
  ctx.fillStyle = o.foreground;
  ctx.font = `600 13px ${o.font}`;
  ctx.textBaseline = 'middle';
  ctx.fillText(o.title, 8, TITLE_H / 2);
  ctx.drawImage(img, 0, TITLE_H, width, height);
  ctx.font = `12px ${o.font}`;
  let x = 8;
  const y = TITLE_H + height + LEGEND_H / 2;
  for (const { label, color } of o.legend) {
    ctx.fillStyle = color;
    ctx.fillRect(x, y - 4, 10, 8);
    ctx.fillStyle = o.foreground;
    ctx.fillText(label, x + 14, y);
    x += 14 + ctx.measureText(label).width + 16;
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The chart could not be encoded as PNG'))), 'image/png'));
}
