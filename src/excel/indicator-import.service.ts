/**
 * Indicator values from a simple workbook (sheet "Werte": Indikator, Jahr, Gruppe, Wert, Anmerkung). Every row
 * is checked, all errors come back at once; the values are written through IndicatorsService, all or nothing.
 */
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../common/config/app-config.js';
import { IndicatorsService } from '../indicators/indicators.service.js';
import { PlansService } from '../framework/plans.service.js';
import {
  type CellError,
  cellNumber,
  cellText,
  fileRefused,
  openWorkbook,
  uploadLimits,
  WorkbookErrorsException,
} from './workbook-reader.js';
import { IndicatorError } from '../indicators/indicator-errors.js';

export const VALUES_SHEET = 'Werte';
export const VALUE_COLUMNS = ['Indikator', 'Jahr', 'Gruppe', 'Wert', 'Anmerkung'];

export interface IndicatorImportRow {
  row: number;
  code: string;
  year: number;
  group: string;
  value: number;
  note: string;
  action: 'create' | 'update' | 'unchanged';
}

@Injectable()
export class IndicatorImportService {
  constructor(
    private readonly indicators: IndicatorsService,
    private readonly config: AppConfig,
    private readonly plans: PlansService,
  ) {}

  /** Values of a plan's indicators (`frameworkId`, see resolvePlan): the codes are the plan's. */
  async import(
    buffer: Buffer | undefined,
    dryRun: boolean,
    frameworkId?: number,
  ): Promise<{ dryRun: boolean; written: number; rows: IndicatorImportRow[] }> {
    const plan = await this.plans.resolvePlan(frameworkId);
    const workbook = await openWorkbook(buffer, uploadLimits(this.config));
    const sheet = workbook.getWorksheet(VALUES_SHEET);
    if (!sheet)
      throw fileRefused(
        IndicatorError.NO_SHEET,
        `Die Arbeitsmappe hat kein Blatt „${VALUES_SHEET}“ (Spalten: ${VALUE_COLUMNS.join(', ')}).`,
      );
    const indicators = new Map((await this.indicators.list(plan)).map((i) => [i.code, i]));
    const errors: CellError[] = [];
    const rows: IndicatorImportRow[] = [];
    const seen = new Set<string>();
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const [code, yearText, group, valueText, note] = [1, 2, 3, 4, 5].map((c) => cellText(row.getCell(c)));
      if (!code && !yearText && !group && !valueText) continue;
      const fail = (column: string, message: string): void => {
        errors.push({ sheet: VALUES_SHEET, row: r, column, message });
      };
      const indicator = indicators.get(code);
      if (!indicator) fail('Indikator', `Unbekannter Indikator „${code}“.`);
      const year = /^\d{4}$/.test(yearText) ? Number(yearText) : Number.NaN;
      if (Number.isNaN(year) || year < 1900 || year > 2200)
        fail('Jahr', `„${yearText}“ ist keine Jahreszahl (JJJJ).`);
      if (indicator && !indicator.groups.includes(group))
        fail('Gruppe', `Unbekannte Gruppe „${group}“; erlaubt: ${indicator.groups.join(', ')}.`);
      const value = cellNumber(row.getCell(4));
      if (value === null || Number.isNaN(value)) fail('Wert', `„${valueText}“ ist keine Zahl.`);
      const key = `${code}|${yearText}|${group}`;
      if (seen.has(key)) fail('Jahr', `${code}, ${yearText}, „${group}“ steht doppelt in der Datei.`);
      seen.add(key);
      if (indicator && !Number.isNaN(year) && value !== null && !Number.isNaN(value)) {
        const current = indicator.values.find((v) => v.year === year && v.group === group);
        const action = !current
          ? 'create'
          : current.value === value && current.note === note
            ? 'unchanged'
            : 'update';
        rows.push({ row: r, code, year, group, value, note, action });
      }
    }
    if (errors.length) throw new WorkbookErrorsException(errors);
    if (rows.length === 0) throw fileRefused(IndicatorError.EMPTY, 'Die Arbeitsmappe enthält keine Werte.');
    const written = dryRun ? 0 : await this.indicators.upsertValues(rows, plan);
    return { dryRun, written, rows };
  }
}
