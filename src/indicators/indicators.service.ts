/**
 * Indicators: definitions from the framework file, baseline and target, values by year and group, and the
 * progress towards the target: how far the latest value has moved from the baseline to the target (works for
 * rising and falling indicators alike, since both differences carry the sign).
 */
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { resolvePlan } from '../framework/plans.service.js';
import { RequestContext } from '../common/context/request-context.js';
import { conflict, notFound } from '../common/http/domain-errors.js';
import { type FieldError, InvalidInputException } from '../common/http/validation.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type {
  CreateIndicatorValueDto,
  UpdateIndicatorDto,
  UpdateIndicatorValueDto,
} from './dto/indicator.dto.js';
import { IndicatorValue } from './indicator-value.entity.js';
import { Indicator } from './indicator.entity.js';
import { IndicatorError } from './indicator-errors.js';

export const TOTAL_GROUP = 'gesamt';

export interface IndicatorView extends Omit<Indicator, 'actionField'> {
  actionFieldCode: string | null;
  values: IndicatorValue[];
  latest: { year: number; value: number; group: string } | null;
  progress: number | null;
  containsExampleData: boolean;
}

/** (latest − baseline) / (target − baseline) in percent, or null when it cannot be computed. */
export function progressTowardsTarget(
  indicator: Pick<Indicator, 'baselineValue' | 'targetValue'>,
  latest: number | null,
): number | null {
  const { baselineValue: baseline, targetValue: target } = indicator;
  if (latest === null || baseline === null || target === null || target === baseline) return null;
  return Math.round(((latest - baseline) / (target - baseline)) * 1000) / 10;
}

@Injectable()
export class IndicatorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
  ) {}

  /** A plan's indicators (see resolvePlan) with their values. */
  async list(frameworkId?: number): Promise<IndicatorView[]> {
    const plan = await resolvePlan(this.dataSource.manager, frameworkId);
    const indicators = await this.dataSource.manager.find(Indicator, {
      where: { frameworkId: plan },
      relations: { actionField: true },
      order: { code: 'ASC' },
    });
    const values = await this.dataSource.manager.find(IndicatorValue, {
      where: { indicatorId: In(indicators.map((i) => i.id)) },
      order: { year: 'ASC', group: 'ASC' },
    });
    return indicators.map((i) =>
      this.view(
        i,
        values.filter((v) => v.indicatorId === i.id),
      ),
    );
  }

  async get(id: number): Promise<IndicatorView> {
    const indicator = await this.dataSource.manager.findOne(Indicator, {
      where: { id },
      relations: { actionField: true },
    });
    if (!indicator) throw notFound(IndicatorError.NOT_FOUND, `Indikator ${id} wurde nicht gefunden.`);
    const values = await this.dataSource.manager.find(IndicatorValue, {
      where: { indicatorId: id },
      order: { year: 'ASC', group: 'ASC' },
    });
    return this.view(indicator, values);
  }

  async update(id: number, dto: UpdateIndicatorDto): Promise<IndicatorView> {
    await RequestContext.withAudit({ action: 'update' }, () =>
      this.transactions.run(async (manager) => {
        const indicator = await manager.findOneBy(Indicator, { id });
        if (!indicator) throw notFound(IndicatorError.NOT_FOUND, `Indikator ${id} wurde nicht gefunden.`);
        if (indicator.version !== dto.version) {
          throw conflict(
            IndicatorError.STALE_VERSION,
            'Der Indikator wurde inzwischen geändert. Bitte laden Sie ihn neu.',
            { currentVersion: indicator.version },
          );
        }
        const { version, ...changes } = dto;
        Object.assign(
          indicator,
          Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
        );
        const errors: FieldError[] = [];
        if ((indicator.baselineYear === null) !== (indicator.baselineValue === null)) {
          errors.push({
            field: 'baselineValue',
            messages: ['Ausgangsjahr und Ausgangswert gehören zusammen'],
          });
        }
        if ((indicator.targetYear === null) !== (indicator.targetValue === null)) {
          errors.push({ field: 'targetValue', messages: ['Zieljahr und Zielwert gehören zusammen'] });
        }
        if (
          indicator.baselineYear !== null &&
          indicator.targetYear !== null &&
          indicator.targetYear < indicator.baselineYear
        ) {
          errors.push({ field: 'targetYear', messages: ['liegt vor dem Ausgangsjahr'] });
        }
        if (errors.length) throw new InvalidInputException(errors);
        indicator.version = version + 1;
        await manager.save(Indicator, indicator);
      }),
    );
    return this.get(id);
  }

  async addValue(
    indicatorId: number,
    dto: CreateIndicatorValueDto,
    options: { isExample?: boolean } = {},
  ): Promise<IndicatorView> {
    await RequestContext.withAudit({ action: 'create' }, () =>
      this.transactions.run(async (manager) => {
        const indicator = await manager.findOneBy(Indicator, { id: indicatorId });
        if (!indicator)
          throw notFound(IndicatorError.NOT_FOUND, `Indikator ${indicatorId} wurde nicht gefunden.`);
        this.checkGroup(indicator, dto.group, 'group');
        if (await manager.existsBy(IndicatorValue, { indicatorId, year: dto.year, group: dto.group })) {
          throw conflict(
            IndicatorError.VALUE_EXISTS,
            `Für ${indicator.code}, ${dto.year}, „${dto.group}“ gibt es bereits einen Wert; bitte diesen ändern.`,
          );
        }
        await manager.save(
          IndicatorValue,
          manager.create(IndicatorValue, {
            indicatorId,
            year: dto.year,
            group: dto.group,
            value: dto.value,
            note: dto.note ?? '',
            isExample: options.isExample ?? false,
          }),
        );
      }),
    );
    return this.get(indicatorId);
  }

  async updateValue(
    indicatorId: number,
    valueId: number,
    dto: UpdateIndicatorValueDto,
  ): Promise<IndicatorView> {
    await RequestContext.withAudit({ action: 'update' }, () =>
      this.transactions.run(async (manager) => {
        const value = await manager.findOneBy(IndicatorValue, { id: valueId, indicatorId });
        if (!value) throw notFound(IndicatorError.VALUE_NOT_FOUND, `Wert ${valueId} wurde nicht gefunden.`);
        if (value.version !== dto.version) {
          throw conflict(
            IndicatorError.STALE_VERSION,
            'Der Wert wurde inzwischen geändert. Bitte laden Sie ihn neu.',
            { currentVersion: value.version },
          );
        }
        value.value = dto.value;
        if (dto.note !== undefined) value.note = dto.note;
        value.version = dto.version + 1;
        await manager.save(IndicatorValue, value);
      }),
    );
    return this.get(indicatorId);
  }

  /**
   * Creates or updates many values in one transaction (the workbook import): every row is checked against
   * the same rules as a single value; nothing is written unless all rows are valid.
   */
  /** Writes values of a plan's indicators, named by their codes (codes are unique within a plan). */
  async upsertValues(
    rows: { code: string; year: number; group: string; value: number; note: string }[],
    frameworkId?: number,
  ): Promise<number> {
    const plan = await resolvePlan(this.dataSource.manager, frameworkId);
    return RequestContext.withAudit({ action: 'indicator_import' }, () =>
      this.transactions.run(async (manager) => {
        const indicators = new Map(
          (await manager.findBy(Indicator, { frameworkId: plan })).map((i) => [i.code, i]),
        );
        let written = 0;
        for (const [index, row] of rows.entries()) {
          const indicator = indicators.get(row.code);
          if (!indicator)
            throw new InvalidInputException([
              { field: `rows.${index}.code`, messages: [`unbekannter Indikator „${row.code}“`] },
            ]);
          this.checkGroup(indicator, row.group, `rows.${index}.group`);
          const current = await manager.findOneBy(IndicatorValue, {
            indicatorId: indicator.id,
            year: row.year,
            group: row.group,
          });
          if (!current) {
            await manager.save(
              IndicatorValue,
              manager.create(IndicatorValue, {
                indicatorId: indicator.id,
                year: row.year,
                group: row.group,
                value: row.value,
                note: row.note,
              }),
            );
            written++;
          } else if (current.value !== row.value || current.note !== row.note) {
            current.value = row.value;
            current.note = row.note;
            current.version += 1;
            await manager.save(IndicatorValue, current);
            written++;
          }
        }
        return written;
      }),
    );
  }

  private checkGroup(indicator: Indicator, group: string, field: string): void {
    if (!indicator.groups.includes(group)) {
      throw new InvalidInputException([
        { field, messages: [`unbekannte Gruppe „${group}“; erlaubt: ${indicator.groups.join(', ')}`] },
      ]);
    }
  }

  private view(indicator: Indicator, values: IndicatorValue[]): IndicatorView {
    const total = values.filter((v) => v.group === TOTAL_GROUP).sort((a, b) => a.year - b.year);
    const latestValue = total.at(-1) ?? null;
    const { actionField, ...rest } = indicator;
    return {
      ...rest,
      actionFieldCode: actionField?.code ?? null,
      values,
      latest: latestValue
        ? { year: latestValue.year, value: latestValue.value, group: latestValue.group }
        : null,
      progress: progressTowardsTarget(indicator, latestValue?.value ?? null),
      containsExampleData: values.some((v) => v.isExample),
    };
  }
}
