/**
 * The Umsetzungsbericht as accessible HTML for printing to PDF: German, one h1 and real h2/h3, tables with
 * captions and header cells with scope, the dashboard's charts drawn for print (report-charts.ts), each with a
 * table of the same numbers; the measures of each field as one paragraph with a line per measure (see the
 * template: a tagged PDF costs per element).
 * Rendered by a Nunjucks environment of its own (autoescaped), from report-document.njk beside this file.
 */
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { printBars, printLegend } from './report-charts.js';
import type { DocumentMeasure, ReportDocument } from './report-document.js';

// The template lives in src/excel/document (not compiled); this file sits there or in dist/excel/document.
const TEMPLATE_DIR = fileURLToPath(new URL('../../../src/excel/document', import.meta.url));

/**
 * Where the long words of the wide tables' column headers may break (with a hyphen): the columns are narrow,
 * and Chromium has no German hyphenation of its own here. A header that does not fit would widen the table
 * beyond the page.
 */
const BREAKS: Record<string, string> = {
  Ausgangswert: 'Ausgangs-wert',
  Daueraufgabe: 'Dauer-aufgabe',
  eingestellt: 'ein-gestellt',
  Fortschritt: 'Fort-schritt',
  Handlungsfeld: 'Handlungs-feld',
  Indikator: 'Indi-kator',
  Maßnahmen: 'Maß-nahmen',
  Meldung: 'Mel-dung',
  Teilnehmende: 'Teil-nehmende',
  Überfällig: 'Über-fällig',
  umgesetzt: 'um-gesetzt',
  Umsetzung: 'Um-setzung',
  Verantwortlich: 'Verant-wortlich',
  verzögert: 'ver-zögert',
  Zusammenfassung: 'Zusammen-fassung',
};
const BREAKABLE = new RegExp(`(?<![\\p{L}-])(${Object.keys(BREAKS).join('|')})(?![\\p{L}-])`, 'gu');

/** Soft hyphens into the known long words of already escaped markup (a `{% filter shy %}` block). */
function shy(markup: string): nunjucks.runtime.SafeString {
  return new nunjucks.runtime.SafeString(
    String(markup).replace(BREAKABLE, (word) => BREAKS[word].replace('-', '\u00AD')),
  );
}

/**
 * A quoted CSS string (the footer's title in the template's style sheet): quotes, backslashes, line breaks and
 * `<` escaped, so that no text can end the string or the style element.
 */
function cssString(text: string): nunjucks.runtime.SafeString {
  const escaped = String(text).replace(/["\\<>&\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `);
  return new nunjucks.runtime.SafeString(`"${escaped}"`);
}

/** Text on one line: a line break in a title or Sachstand would read as the start of the next measure. */
const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/**
 * A measure as one line: code and title; status with progress, date of the last accepted report and the
 * change against the previous cycle; Sachstand.
 */
function measureLine(m: DocumentMeasure): string {
  let status = m.status;
  if (m.progress !== '–') status += `, ${m.progress}`;
  if (m.reportedAt !== '–') status += `, Meldung vom ${m.reportedAt}`;
  if (m.change) status += `; ${m.change}`;
  const summary = oneLine(m.summary);
  return `${oneLine(`${m.code} ${m.title}`)} – Status: ${status}${summary ? ` – Sachstand: ${summary}` : ''}`;
}

let environment: nunjucks.Environment | undefined;

function templates(): nunjucks.Environment {
  environment ??= new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_DIR), {
    autoescape: true,
    throwOnUndefined: false,
  })
    .addFilter('shy', shy)
    .addFilter('cssString', cssString);
  return environment;
}

export function renderReportHtml(document: ReportDocument): string {
  const charts = Object.fromEntries(
    document.breakdowns.map((b) => [
      b.id,
      printBars(
        `chart-${b.id}`,
        `${document.texts.byStatus} je ${b.label}`,
        b.groups,
        document.words.measures,
      ),
    ]),
  );
  return templates().render('report-document.njk', {
    doc: document,
    charts,
    legend: printLegend(),
    measureLines: document.fields.map((f) => f.measures.map(measureLine).join('\n')),
  });
}
