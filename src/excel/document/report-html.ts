/**
 * The Umsetzungsbericht as accessible HTML for printing to PDF: German, one h1 and real h2/h3, tables with
 * captions and header cells with scope, the dashboard's charts drawn for print (report-charts.ts), each with a
 * table of the same numbers.
 * Rendered by a Nunjucks environment of its own (autoescaped), from report-document.njk beside this file.
 */
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { printBars, printLegend } from './report-charts.js';
import type { ReportDocument } from './report-document.js';

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

let environment: nunjucks.Environment | undefined;

function templates(): nunjucks.Environment {
  environment ??= new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_DIR), {
    autoescape: true,
    throwOnUndefined: false,
  }).addFilter('shy', shy);
  return environment;
}

export function renderReportHtml(document: ReportDocument): string {
  const charts = Object.fromEntries(
    document.breakdowns.map((b) => [
      b.id,
      printBars(`chart-${b.id}`, `Maßnahmen nach Status je ${b.label}`, b.groups),
    ]),
  );
  return templates().render('report-document.njk', {
    doc: document,
    charts,
    legend: printLegend(),
  });
}
