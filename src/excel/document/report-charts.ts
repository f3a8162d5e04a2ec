/**
 * The summary's stacked bars for print: the dashboard's chart (same geometry, labels, colours and hatching per
 * status, same title and description), but every segment's hatching drawn as plain lines, dots and squares
 * clipped to the segment, with the hatch colour already blended into the fill. SVG pattern fills are turned
 * into images by Chromium's PDF backend, which made every chart a large picture and cost seconds per PDF;
 * plain vector shapes stay small and sharp.
 */
import { escapeHtml } from '../../common/html.js';
import { STATUS_KEY_LABELS, STATUS_KEYS, type StatusKey } from '../../dashboard/dashboard.service.js';
import { type BarGroup, STATUS_STYLE, wrapLabel } from '../../web/charts.js';

const TILE = 8;
const INK = [0x33, 0x33, 0x33];

/** `colour` with the hatch ink laid over it at `opacity`, as one opaque colour. */
function blend(colour: string, opacity: number): string {
  const rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  return `#${rgb
    .map((c, i) => Math.round(c * (1 - opacity) + INK[i] * opacity))
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}

const n = (v: number): string => String(Math.round(v * 10) / 10);

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Lines x + sign·y = c (c on the tile grid) inside the box, as path data. */
function diagonals(box: Box, sign: 1 | -1): string {
  const x1 = box.x + box.w;
  const y1 = box.y + box.h;
  const parts: string[] = [];
  const low = sign === 1 ? box.x + box.y : box.x - y1;
  const high = sign === 1 ? x1 + y1 : x1 - box.y;
  for (let c = Math.ceil(low / TILE) * TILE; c <= high; c += TILE) {
    // y = (c - x) / sign, clipped to the box.
    const from = Math.max(box.x, sign === 1 ? c - y1 : c + box.y);
    const to = Math.min(x1, sign === 1 ? c - box.y : c + y1);
    if (to - from < 0.2) continue;
    parts.push(`M${n(from)},${n((c - from) * sign)}L${n(to)},${n((c - to) * sign)}`);
  }
  return parts.join('');
}

/** The hatching of one status inside a box, as SVG elements. */
function hatching(key: StatusKey, box: Box): string {
  const { fill, pattern } = STATUS_STYLE[key];
  const x1 = box.x + box.w;
  const y1 = box.y + box.h;
  const line = (d: string, opacity: number): string =>
    d ? `<path d="${d}" stroke="${blend(fill, opacity)}" stroke-width="1" fill="none"/>` : '';
  const grid = (offset: number, along: 'x' | 'y'): number[] => {
    const [from, to] = along === 'x' ? [box.x, x1] : [box.y, y1];
    const values: number[] = [];
    for (let v = Math.ceil((from - offset) / TILE) * TILE + offset; v <= to; v += TILE) values.push(v);
    return values;
  };
  switch (pattern) {
    case 'diagonal':
      return line(diagonals(box, 1), 0.55);
    case 'cross':
      return line(diagonals(box, 1) + diagonals(box, -1), 0.5);
    case 'horizontal':
      return line(
        grid(4, 'y')
          .map((y) => `M${n(box.x)},${n(y)}H${n(x1)}`)
          .join(''),
        0.5,
      );
    case 'vertical':
      return line(
        grid(4, 'x')
          .map((x) => `M${n(x)},${n(box.y)}V${n(y1)}`)
          .join(''),
        0.5,
      );
    case 'dots': {
      const r = 1.3;
      const dots = grid(4, 'y').flatMap((cy) =>
        grid(4, 'x')
          .filter((cx) => cx - r >= box.x && cx + r <= x1 && cy - r >= box.y && cy + r <= y1)
          .map((cx) => `M${n(cx - r)},${n(cy)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`),
      );
      return dots.length ? `<path d="${dots.join('')}" fill="${blend(fill, 0.6)}"/>` : '';
    }
    case 'checker': {
      // Per tile two ink squares: top left and bottom right.
      const squares: string[] = [];
      for (let tx = Math.floor(box.x / TILE) * TILE; tx < x1; tx += TILE)
        for (let ty = Math.floor(box.y / TILE) * TILE; ty < y1; ty += TILE)
          for (const [left, top] of [
            [tx, ty],
            [tx + 4, ty + 4],
          ]) {
            const sx = Math.max(left, box.x);
            const sy = Math.max(top, box.y);
            const ex = Math.min(left + 4, x1);
            const ey = Math.min(top + 4, y1);
            if (ex - sx > 0.1 && ey - sy > 0.1)
              squares.push(`M${n(sx)},${n(sy)}H${n(ex)}V${n(ey)}H${n(sx)}Z`);
          }
      return squares.length ? `<path d="${squares.join('')}" fill="${blend(fill, 0.25)}"/>` : '';
    }
    default:
      return '';
  }
}

/** One segment: its fill, hatching and white outline. */
function segment(key: StatusKey, box: Box): string {
  const rect = `x="${n(box.x)}" y="${n(box.y)}" width="${n(box.w)}" height="${n(box.h)}"`;
  return (
    `<rect ${rect} fill="${STATUS_STYLE[key].fill}"/>` +
    hatching(key, box) +
    `<rect ${rect} fill="none" stroke="#ffffff" stroke-width="1"/>`
  );
}

const LINE_HEIGHT = 14;
const LABEL_CHARS = 34;

/**
 * Horizontal stacked bars, one per group, as one image with a title and a description of every number
 * (`measures`: the plan's word, for a group without any).
 */
export function printBars(id: string, title: string, groups: BarGroup[], measures = 'Maßnahmen'): string {
  const width = 760;
  const labelWidth = 230;
  const barWidth = width - labelWidth - 50;
  const barHeight = 22;
  const max = Math.max(1, ...groups.map((g) => g.total));
  let y = 5;
  const rows = groups
    .map((group) => {
      const lines = wrapLabel(`${group.code} ${group.title}`, LABEL_CHARS);
      const rowHeight = Math.max(barHeight + 8, lines.length * LINE_HEIGHT + 8);
      const barTop = y + (rowHeight - 8 - barHeight) / 2;
      const middle = barTop + barHeight / 2;
      y += rowHeight;
      let x = labelWidth;
      const segments = STATUS_KEYS.filter((key) => group.counts[key] > 0)
        .map((key) => {
          const w = (group.counts[key] / max) * barWidth;
          const drawn =
            segment(key, { x, y: barTop, w, h: barHeight }) +
            (w >= 18
              ? `<text x="${n(x + w / 2)}" y="${middle}" text-anchor="middle" class="chart-count">${group.counts[key]}</text>`
              : '');
          x += w;
          return drawn;
        })
        .join('');
      const firstLine = middle - ((lines.length - 1) * LINE_HEIGHT) / 2;
      const label =
        `<text x="0" y="${firstLine}" class="chart-label">` +
        lines
          .map((text, i) => `<tspan x="0" y="${firstLine + i * LINE_HEIGHT}">${escapeHtml(text)}</tspan>`)
          .join('') +
        `</text>`;
      return `${label}${segments}<text x="${n(x + 6)}" y="${middle}" class="chart-total">${group.total}</text>`;
    })
    .join('');
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
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${y + 5}" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(description)}</desc>` +
    `${rows}</svg>`
  );
}

/** The legend: every status with its colour, hatching and name, so that the charts read without colour. */
export function printLegend(): string {
  const items = STATUS_KEYS.map(
    (key) =>
      `<li><svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">${segment(key, { x: 0, y: 0, w: 18, h: 18 })}<rect width="18" height="18" fill="none" stroke="#333"/></svg> ${escapeHtml(STATUS_KEY_LABELS[key])}</li>`,
  );
  return `<ul class="legend" aria-label="Legende">${items.join('')}</ul>`;
}
