/**
 * The Indikatoren sheet of the Umsetzungsbericht: each indicator with its baseline, target, latest total value
 * and progress towards the target, counting only the values recorded by the report's cut-off.
 */
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../../framework/plans.service.js';
import {
  type IndicatorsService,
  progressTowardsTarget,
  TOTAL_GROUP,
} from '../../indicators/indicators.service.js';
import { EXAMPLE_LABEL } from '../../measures/measure.view.js';
import type { FrozenIndicator } from '../../reporting/framework-at-close.js';
import { addTableSheet, DECIMAL_FORMAT } from '../workbook-style.js';
import type { ReportWorkbook } from './report-labels.js';

/** One indicator as the report lists it: its values as recorded by the report's cut-off. */
export interface IndicatorRow {
  code: string;
  name: string;
  definition: string;
  unit: string;
  source: string;
  field: string;
  direction: string;
  baselineYear: number | null;
  baselineValue: number | null;
  targetYear: number | null;
  targetValue: number | null;
  latestYear: number | null;
  latestValue: number | null;
  progress: number | null;
  values: string;
  note: string;
  example: string;
}

const DIRECTION = {
  higher_is_better: 'höher ist besser',
  lower_is_better: 'niedriger ist besser',
  neutral: 'Kontextindikator',
};

/** Each indicator with its baseline, target, latest total value and progress towards the target. */
export async function indicatorRows(
  indicators: IndicatorsService,
  asOf: Date,
  frozen: FrozenIndicator[] | undefined,
  frameworkId: number,
): Promise<IndicatorRow[]> {
  // A closed cycle lists its indicators as defined at the close, whatever a revision changed since.
  const atClose = frozen ? new Map(frozen.map((i) => [i.code, i])) : null;
  const rows: IndicatorRow[] = [];
  for (const current of await indicators.list(frameworkId)) {
    if (atClose && !atClose.has(current.code)) continue;
    const indicator = { ...current, ...atClose?.get(current.code) };
    const values = indicator.values.filter((v) => new Date(v.createdAt) <= asOf);
    const total =
      values
        .filter((v) => v.group === TOTAL_GROUP)
        .sort((a, b) => a.year - b.year)
        .at(-1) ?? null;
    rows.push({
      code: indicator.code,
      name: indicator.name,
      definition: indicator.definition,
      unit: indicator.unit,
      source: indicator.source,
      field: indicator.actionFieldCode ?? '',
      direction: DIRECTION[indicator.direction],
      baselineYear: indicator.baselineYear,
      baselineValue: indicator.baselineValue,
      targetYear: indicator.targetYear,
      targetValue: indicator.targetValue,
      latestYear: total?.year ?? null,
      latestValue: total?.value ?? null,
      progress: progressTowardsTarget(indicator, total?.value ?? null),
      values: values.map((v) => `${v.year} ${v.group}: ${v.value.toLocaleString('de-DE')}`).join('; '),
      note: indicator.baselineNote,
      example: values.some((v) => v.isExample) ? EXAMPLE_LABEL : '',
    });
  }
  return rows;
}

export function writeIndicatorsSheet(
  workbook: ReportWorkbook,
  rows: IndicatorRow[],
  words: PlanVocabulary = DEFAULT_VOCABULARY,
): void {
  const sheet = addTableSheet(workbook, 'Indikatoren', [
    { header: 'Code', key: 'code', width: 12 },
    { header: 'Indikator', key: 'name', width: 38 },
    { header: 'Definition', key: 'definition', width: 50 },
    { header: 'Einheit', key: 'unit', width: 8 },
    { header: 'Quelle', key: 'source', width: 30 },
    { header: words.field, key: 'field', width: 13 },
    { header: 'Wirkungsrichtung', key: 'direction', width: 18 },
    { header: 'Ausgangsjahr', key: 'baselineYear', width: 12 },
    { header: 'Ausgangswert', key: 'baselineValue', width: 12, style: { numFmt: DECIMAL_FORMAT } },
    { header: 'Zieljahr', key: 'targetYear', width: 10 },
    { header: 'Zielwert', key: 'targetValue', width: 10, style: { numFmt: DECIMAL_FORMAT } },
    { header: 'Letztes Jahr', key: 'latestYear', width: 12 },
    { header: 'Letzter Wert (gesamt)', key: 'latestValue', width: 14, style: { numFmt: DECIMAL_FORMAT } },
    { header: 'Fortschritt zum Ziel (%)', key: 'progress', width: 14, style: { numFmt: DECIMAL_FORMAT } },
    { header: 'Werte nach Jahr und Gruppe', key: 'values', width: 60 },
    { header: 'Anmerkung', key: 'note', width: 28 },
    { header: 'Beispieldaten', key: 'example', width: 13 },
  ]);
  for (const row of rows) sheet.addRow({ ...row }).commit();
  sheet.commit();
}
