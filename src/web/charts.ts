/**
 * Server-rendered SVG charts: horizontal stacked bars of status counts. Each status has a colour and a
 * pattern, counts are printed in the segments, and the chart carries a title and description; a data table
 * with the same numbers stands beside every chart. No script runs in the browser.
 */
import { STATUS_KEY_LABELS, STATUS_KEYS, type StatusKey } from '../dashboard/dashboard.service.js';

export interface BarGroup {
  code: string;
  title: string;
  counts: Record<StatusKey, number>;
  total: number;
}

/** Colour (light, so that dark text stays readable) and pattern per status. */
export const STATUS_STYLE: Record<StatusKey, { fill: string; pattern: string }> = {
  completed: { fill: '#b7dfb9', pattern: 'solid' },
  in_progress: { fill: '#b9d3ee', pattern: 'diagonal' },
  ongoing: { fill: '#d5e8c4', pattern: 'dots' },
  planned: { fill: '#e6e6e6', pattern: 'horizontal' },
  delayed: { fill: '#f6d98b', pattern: 'cross' },
  discontinued: { fill: '#cfcfcf', pattern: 'vertical' },
  none: { fill: '#f4c2c7', pattern: 'checker' },
};

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function patternDefs(prefix: string): string {
  const shapes: Record<string, string> = {
    solid: '',
    diagonal: '<path d="M0,8 L8,0" stroke="#333" stroke-width="1" stroke-opacity="0.55"/>',
    dots: '<circle cx="4" cy="4" r="1.3" fill="#333" fill-opacity="0.6"/>',
    horizontal: '<path d="M0,4 L8,4" stroke="#333" stroke-width="1" stroke-opacity="0.5"/>',
    cross: '<path d="M0,0 L8,8 M8,0 L0,8" stroke="#333" stroke-width="1" stroke-opacity="0.5"/>',
    vertical: '<path d="M4,0 L4,8" stroke="#333" stroke-width="1" stroke-opacity="0.5"/>',
    checker:
      '<rect width="4" height="4" fill="#333" fill-opacity="0.25"/><rect x="4" y="4" width="4" height="4" fill="#333" fill-opacity="0.25"/>',
  };
  return STATUS_KEYS.map((key) => {
    const style = STATUS_STYLE[key];
    return `<pattern id="${prefix}-${key}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${style.fill}"/>${shapes[style.pattern]}</pattern>`;
  }).join('');
}

/** The legend of a chart: every status with its pattern and name, so the chart reads without colour. */
export function legend(id: string): string {
  const defs = `<svg width="0" height="0" class="defs" aria-hidden="true" focusable="false"><defs>${patternDefs(`${id}-legend`)}</defs></svg>`;
  const items = STATUS_KEYS.map(
    (key) =>
      `<li><svg width="18" height="18" aria-hidden="true" focusable="false">` +
      `<rect width="18" height="18" fill="url(#${id}-legend-${key})" stroke="#333"/></svg> ${escape(STATUS_KEY_LABELS[key])}</li>`,
  );
  return `${defs}<ul class="legend" aria-label="Legende">${items.join('')}</ul>`;
}

export function stackedBars(id: string, title: string, groups: BarGroup[]): string {
  const width = 760;
  const labelWidth = 230;
  const barWidth = width - labelWidth - 50;
  const rowHeight = 30;
  const height = groups.length * rowHeight + 10;
  const max = Math.max(1, ...groups.map((g) => g.total));
  const rows = groups
    .map((group, index) => {
      const y = 5 + index * rowHeight;
      let x = labelWidth;
      const label = `${group.code} ${group.title}`;
      const shortLabel = label.length > 34 ? `${label.slice(0, 33)}…` : label;
      const segments = STATUS_KEYS.filter((key) => group.counts[key] > 0)
        .map((key) => {
          const w = (group.counts[key] / max) * barWidth;
          const segment =
            `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="url(#${id}-${key})" stroke="#ffffff" stroke-width="1">` +
            `<title>${escape(`${label}: ${STATUS_KEY_LABELS[key]} ${group.counts[key]}`)}</title></rect>` +
            (w >= 18
              ? `<text x="${(x + w / 2).toFixed(1)}" y="${y + rowHeight / 2}" text-anchor="middle" class="chart-count">${group.counts[key]}</text>`
              : '');
          x += w;
          return segment;
        })
        .join('');
      return (
        `<text x="0" y="${y + rowHeight / 2}" class="chart-label">${escape(shortLabel)}</text>` +
        segments +
        `<text x="${(x + 6).toFixed(1)}" y="${y + rowHeight / 2}" class="chart-total">${group.total}</text>`
      );
    })
    .join('');
  const description = groups
    .map(
      (g) =>
        `${g.code} ${g.title}: ${
          STATUS_KEYS.filter((k) => g.counts[k] > 0)
            .map((k) => `${g.counts[k]} ${STATUS_KEY_LABELS[k]}`)
            .join(', ') || 'keine Maßnahmen'
        }`,
    )
    .join('; ');
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">` +
    `<title id="${id}-title">${escape(title)}</title><desc id="${id}-desc">${escape(description)}</desc>` +
    `<defs>${patternDefs(id)}</defs>${rows}</svg>`
  );
}
