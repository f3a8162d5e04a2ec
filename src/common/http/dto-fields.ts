/**
 * Field decorators shared by the DTOs: ids within the database's integer range, lists of ids, and the query
 * string transforms that turn "1,2,3" into [1, 2, 3].
 */
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsInt, Max, Min } from 'class-validator';

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
