/**
 * Field decorators shared by the DTOs: ids within the database's integer range, lists of ids, calendar dates,
 * and the query string transforms that turn "1,2,3" into [1, 2, 3].
 */
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsInt,
  Max,
  Min,
  ValidateBy,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { germanDate, isCalendarDate } from '../calendar-date.js';

export const MAX_ID = 2_147_483_647;

/** A positive integer id. */
export const IdField = (): PropertyDecorator => applyDecorators(IsInt(), Min(1), Max(MAX_ID));

/** A list of distinct positive integer ids, at most `max` of them. */
export const IdListField = (max: number): PropertyDecorator =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(max),
    ArrayUnique(),
    IsInt({ each: true }),
    Min(1, { each: true }),
    Max(MAX_ID, { each: true }),
  );

const DATE_FORMAT = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date JJJJ-MM-TT that exists in the calendar: every date field of every DTO uses this one decorator, so the
 * API, the pages and the imports refuse 2025-02-30 alike. The messages are German already.
 */
export const DateField = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: (args?: ValidationArguments) =>
          typeof args?.value === 'string' && DATE_FORMAT.test(args.value)
            ? `ist kein gültiges Datum: den ${germanDate(args.value)} gibt es nicht`
            : 'muss ein Datum im Format JJJJ-MM-TT sein',
      },
    },
    options,
  );

/** "a,b" in a query string → ["a", "b"]. */
export const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value;

/** "1,2" in a query string → [1, 2] (non-numbers are kept, so that validation names them). */
export const toIntList = ({ value }: { value: unknown }): unknown => {
  const list = toList({ value });
  return Array.isArray(list)
    ? list.map((v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v))
    : list;
};

/** A query-string filter of ids: "1,2" or repeated parameters. */
export const IdListQuery = (max = 50): PropertyDecorator =>
  applyDecorators(
    Transform(toIntList),
    IsArray(),
    ArrayMaxSize(max),
    IsInt({ each: true }),
    Min(1, { each: true }),
    Max(MAX_ID, { each: true }),
  );
