/**
 * Success responses in the OpenAPI document: paged lists with typed items, file downloads, and the
 * compile-time proof that a documenting class (`*.response.ts`) names exactly the fields a service returns.
 * Nest's OpenAPI module reads classes, not interfaces: the services keep their interfaces, and each
 * response class is checked against its interface with `Mirrors`, so documentation and code cannot drift.
 */
import { applyDecorators, type Type } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiProperty } from '@nestjs/swagger';
import type { Page } from '../paging.js';

/** The JSON form of a type: dates travel as ISO strings. */
export type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/**
 * true when the documenting class `Doc` and the returned shape `Shape` have the same keys (optional where the
 * other is optional) and each is assignable to the other, else false.
 */
export type Mirrors<Doc, Shape> = [Doc] extends [Shape]
  ? [Shape] extends [Doc]
    ? [keyof Doc] extends [keyof Shape]
      ? [keyof Shape] extends [keyof Doc]
        ? true
        : false
      : false
    : false
  : false;

/** Compiles only when every entry is true: `type Checked = AllMirror<[Mirrors<A, B>, …]>`. */
export type AllMirror<Checks extends true[]> = Checks;

const pages = new Map<Type, Type>();

/**
 * The documenting class of a page of `item`s, `{ items, total, page, pageSize }`, named after the item
 * (`MeasureResponse` → `MeasurePage`), made once per item class.
 */
export function pageOf<T>(item: Type<T>): Type<Page<T>> {
  const known = pages.get(item);
  if (known) return known as Type<Page<T>>;
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: [item], description: 'Die Einträge dieser Seite' })
    items: T[];

    @ApiProperty({ type: 'integer', description: 'Anzahl aller Einträge über alle Seiten' })
    total: number;

    @ApiProperty({ type: 'integer', description: 'Seite, ab 1 gezählt' })
    page: number;

    @ApiProperty({ type: 'integer', description: 'Einträge je Seite' })
    pageSize: number;
  }
  Object.defineProperty(PageOfItems, 'name', { value: `${item.name.replace(/Response$/, '')}Page` });
  pages.set(item, PageOfItems);
  return PageOfItems;
}

/** 200 with one page of `item`s. */
export function ApiPageResponse(item: Type, description = 'Eine Seite der Liste'): MethodDecorator {
  return ApiOkResponse({ type: pageOf(item), description });
}

/** 200 with a file of the given media type (e.g. an xlsx workbook) as the body. */
export function ApiFileResponse(mediaType: string, description: string): MethodDecorator {
  return applyDecorators(
    ApiProduces(mediaType),
    ApiOkResponse({
      description,
      content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } },
    }),
  );
}
