/**
 * Server-rendered SVG charts: horizontal stacked bars of status counts. Each status has a colour and a
 * pattern, counts are printed in the segments, and the chart carries a title and description; a data table
 * with the same numbers stands beside every chart. No script runs in the browser.
 */
import { escapeHtml } from '../common/html.js';
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

const escape = escapeHtml;

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

/** Splits a label into lines of at most `width` characters at spaces (a longer word stands on its own line). */
export function wrapLabel(label: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** Where a bar's segment (a status) or its total (null) leads; null: no link. */
export type BarLink = (group: BarGroup, status: StatusKey | null) => string | null;

const LINE_HEIGHT = 14;
const LABEL_CHARS = 34;

/**
 * Horizontal stacked bars, one per group, labelled with the group's full code and title (wrapped onto as many
 * lines as it needs). With `link`, every segment and every total leads to the measures it counts; the chart
 * is then a group of links rather than one image, and each link names its group, status and number.
 */
export function stackedBars(
  id: string,
  title: string,
  groups: BarGroup[],
  link?: BarLink,
  /** The plan's word for its measures, in the links' names and for a group without any. */
  measures = 'Maßnahmen',
): string {
  const width = 760;
  const labelWidth = 230;
  const barWidth = width - labelWidth - 50;
  const barHeight = 22;
  const max = Math.max(1, ...groups.map((g) => g.total));
  let y = 5;
  const anchor = (href: string | null, name: string, content: string): string =>
    href ? `<a href="${escape(href)}" aria-label="${escape(name)}">${content}</a>` : content;
  const rows = groups
    .map((group) => {
      const label = `${group.code} ${group.title}`;
      const lines = wrapLabel(label, LABEL_CHARS);
      const rowHeight = Math.max(barHeight + 8, lines.length * LINE_HEIGHT + 8);
      const top = y;
      const barTop = top + (rowHeight - 8 - barHeight) / 2;
      const middle = barTop + barHeight / 2;
      y += rowHeight;
      let x = labelWidth;
      const segments = STATUS_KEYS.filter((key) => group.counts[key] > 0)
        .map((key) => {
          const w = (group.counts[key] / max) * barWidth;
          const name = `${label}: ${STATUS_KEY_LABELS[key]} ${group.counts[key]}`;
          const segment =
            `<rect x="${x.toFixed(1)}" y="${barTop}" width="${w.toFixed(1)}" height="${barHeight}" fill="url(#${id}-${key})" stroke="#ffffff" stroke-width="1">` +
            `<title>${escape(name)}</title></rect>` +
            (w >= 18
              ? `<text x="${(x + w / 2).toFixed(1)}" y="${middle}" text-anchor="middle" class="chart-count">${group.counts[key]}</text>`
              : '');
          x += w;
          return anchor(link?.(group, key) ?? null, `${name} – ${measures} anzeigen`, segment);
        })
        .join('');
      const firstLine = middle - ((lines.length - 1) * LINE_HEIGHT) / 2;
      const labelText =
        `<text x="0" y="${firstLine}" class="chart-label">` +
        lines
          .map((line, i) => `<tspan x="0" y="${firstLine + i * LINE_HEIGHT}">${escape(line)}</tspan>`)
          .join('') +
        `</text>`;
      const total = `<text x="${(x + 6).toFixed(1)}" y="${middle}" class="chart-total">${group.total}</text>`;
      return (
        labelText +
        segments +
        anchor(
          group.total > 0 ? (link?.(group, null) ?? null) : null,
          `${label}: ${group.total} ${measures} insgesamt – anzeigen`,
          total,
        )
      );
    })
    .join('');
  const height = y + 5;
  const description = groups
    .map(
      (g) =>
        `${g.code} ${g.title}: ${
          STATUS_KEYS.filter((k) => g.counts[k] > 0)
            .map((k) => `${g.counts[k]} ${STATUS_KEY_LABELS[k]}`)
            .join(', ') || `keine ${measures}`
        }`,
    )
    .join('; ');
  // A picture with links inside is a group of links; without links it stays one image.
  const role = link ? 'group' : 'img';
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="${role}" aria-labelledby="${id}-title" aria-describedby="${id}-desc" focusable="false">` +
    `<title id="${id}-title">${escape(title)}</title><desc id="${id}-desc">${escape(description)}</desc>` +
    `<defs>${patternDefs(id)}</defs>${rows}</svg>`
  );
}
