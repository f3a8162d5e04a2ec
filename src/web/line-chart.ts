/**
 * A server-rendered SVG line chart of an indicator's values over the years: one line per group, each with its
 * own marker shape and dash pattern (readable without colour), dark line colours (contrast of at least 4.5:1
 * against white), baseline and target as labelled reference lines. The chart carries a title and a
 * description; a data table with the same values stands beside it. No script runs in the browser.
 */
import { escapeHtml } from '../common/html.js';
import { germanNumber } from './format.js';

export interface LinePoint {
  year: number;
  value: number;
}

export interface LineSeries {
  name: string;
  points: LinePoint[];
}

export interface ReferenceLine {
  label: string;
  value: number;
  year: number;
}

/** Colour, marker and dash per series, in order; colours are at least 4.5:1 against white. */
export const SERIES_STYLE = [
  { colour: '#1f4e79', marker: 'circle', dash: '' },
  { colour: '#8a3b00', marker: 'square', dash: '8 4' },
  { colour: '#2f6b1f', marker: 'triangle', dash: '2 3' },
  { colour: '#5b2a86', marker: 'diamond', dash: '12 4 2 4' },
] as const;

const escape = escapeHtml;

/** A marker shape centred on (x, y); also used by the legend. */
export function marker(shape: string, x: number, y: number, colour: string): string {
  const r = 5;
  switch (shape) {
    case 'square':
      return `<rect x="${(x - r).toFixed(1)}" y="${(y - r).toFixed(1)}" width="${2 * r}" height="${2 * r}" fill="${colour}"/>`;
    case 'triangle':
      return `<polygon points="${x.toFixed(1)},${(y - r - 1).toFixed(1)} ${(x + r + 1).toFixed(1)},${(y + r).toFixed(1)} ${(x - r - 1).toFixed(1)},${(y + r).toFixed(1)}" fill="${colour}"/>`;
    case 'diamond':
      return `<polygon points="${x.toFixed(1)},${(y - r - 1).toFixed(1)} ${(x + r + 1).toFixed(1)},${y.toFixed(1)} ${x.toFixed(1)},${(y + r + 1).toFixed(1)} ${(x - r - 1).toFixed(1)},${y.toFixed(1)}" fill="${colour}"/>`;
    default:
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}" fill="${colour}"/>`;
  }
}

/** The legend: each series with its marker and dash, so that the lines can be told apart without colour. */
export function lineLegend(series: LineSeries[], references: ReferenceLine[]): string {
  const items = series.map((s, index) => {
    const style = SERIES_STYLE[index % SERIES_STYLE.length];
    return (
      `<li><svg width="36" height="16" aria-hidden="true" focusable="false">` +
      `<line x1="0" y1="8" x2="36" y2="8" stroke="${style.colour}" stroke-width="2.5"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>` +
      `${marker(style.marker, 18, 8, style.colour)}</svg> ${escape(s.name)}</li>`
    );
  });
  for (const ref of references) {
    items.push(
      `<li><svg width="36" height="16" aria-hidden="true" focusable="false"><line x1="0" y1="8" x2="36" y2="8" stroke="#595959" stroke-width="1.5" stroke-dasharray="3 3"/></svg> ${escape(ref.label)}</li>`,
    );
  }
  return `<ul class="legend" aria-label="Legende">${items.join('')}</ul>`;
}

function niceStep(range: number): number {
  const rough = range / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

export function lineChart(
  id: string,
  title: string,
  unit: string,
  series: LineSeries[],
  references: ReferenceLine[] = [],
): string {
  const width = 760;
  const height = 320;
  const left = 64;
  const right = 24;
  const top = 20;
  const bottom = 44;
  const points = series.flatMap((s) => s.points);
  const years = [...points.map((p) => p.year), ...references.map((r) => r.year)];
  const values = [...points.map((p) => p.value), ...references.map((r) => r.value)];
  const unitText = unit ? ` ${unit}` : '';
  const description = series.length
    ? series
        .map(
          (s) =>
            `${s.name}: ${s.points.map((p) => `${p.year} ${germanNumber(p.value, 1)}${unitText}`).join(', ') || 'keine Werte'}`,
        )
        .concat(references.map((r) => `${r.label}: ${germanNumber(r.value, 1)}${unitText} (${r.year})`))
        .join('; ')
    : 'Noch keine Werte erfasst.';
  if (points.length === 0 || values.length === 0) {
    return (
      `<svg class="chart" viewBox="0 0 ${width} 60" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">` +
      `<title id="${id}-title">${escape(title)}</title><desc id="${id}-desc">${escape(description)}</desc>` +
      `<text x="10" y="35" class="chart-label">Noch keine Werte erfasst.</text></svg>`
    );
  }
  let minYear = Math.min(...years);
  let maxYear = Math.max(...years);
  if (minYear === maxYear) {
    minYear -= 1;
    maxYear += 1;
  }
  let minValue = Math.min(0, ...values);
  let maxValue = Math.max(...values);
  if (minValue === maxValue) maxValue = minValue + 1;
  const step = niceStep(maxValue - minValue);
  minValue = Math.floor(minValue / step) * step;
  maxValue = Math.ceil(maxValue / step) * step;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const x = (year: number): number => left + ((year - minYear) / (maxYear - minYear)) * plotWidth;
  const y = (value: number): number => top + (1 - (value - minValue) / (maxValue - minValue)) * plotHeight;

  const grid: string[] = [];
  for (let v = minValue; v <= maxValue + step / 2; v += step) {
    grid.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d0d0d0" stroke-width="1"/>` +
        `<text x="${left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="chart-label">${germanNumber(v, step < 1 ? 1 : 0)}</text>`,
    );
  }
  const yearStep = Math.max(1, Math.ceil((maxYear - minYear) / 10));
  for (let year = minYear; year <= maxYear; year += yearStep) {
    grid.push(
      `<text x="${x(year).toFixed(1)}" y="${height - bottom + 20}" text-anchor="middle" class="chart-label">${year}</text>`,
    );
  }
  const axes =
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${height - bottom}" stroke="#333" stroke-width="1"/>` +
    `<line x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}" stroke="#333" stroke-width="1"/>` +
    (unit
      ? `<text x="12" y="${top + plotHeight / 2}" class="chart-label" transform="rotate(-90 12 ${top + plotHeight / 2})" text-anchor="middle">${escape(unit)}</text>`
      : '') +
    `<text x="${left + plotWidth / 2}" y="${height - 6}" text-anchor="middle" class="chart-label">Jahr</text>`;
  const refs = references
    .map(
      (r) =>
        `<line x1="${left}" x2="${width - right}" y1="${y(r.value).toFixed(1)}" y2="${y(r.value).toFixed(1)}" stroke="#595959" stroke-width="1.5" stroke-dasharray="3 3"/>` +
        `<text x="${width - right - 4}" y="${(y(r.value) - 5).toFixed(1)}" text-anchor="end" class="chart-label">${escape(`${r.label} ${germanNumber(r.value, 1)}`)}</text>`,
    )
    .join('');
  const lines = series
    .map((s, index) => {
      const style = SERIES_STYLE[index % SERIES_STYLE.length];
      const sorted = [...s.points].sort((a, b) => a.year - b.year);
      const path = sorted.map((p) => `${x(p.year).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
      const markers = sorted
        .map(
          (p) =>
            `<g>${marker(style.marker, x(p.year), y(p.value), style.colour)}<title>${escape(`${s.name} ${p.year}: ${germanNumber(p.value, 1)}${unitText}`)}</title></g>`,
        )
        .join('');
      return (
        `<polyline points="${path}" fill="none" stroke="${style.colour}" stroke-width="2.5"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>` +
        markers
      );
    })
    .join('');
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">` +
    `<title id="${id}-title">${escape(title)}</title><desc id="${id}-desc">${escape(description)}</desc>` +
    `${grid.join('')}${axes}${refs}${lines}</svg>`
  );
}
