/** Paged lists: `{ items, total, page, pageSize }` as every list route answers, and reading one page. */
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** One page (counted from 1) of a list query's rows, and how many rows there are in all. */
export function readPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  page: number,
  pageSize: number,
): Promise<[T[], number]> {
  return qb
    .skip((page - 1) * pageSize)
    .take(pageSize)
    .getManyAndCount();
}
