/**
 * What a page form does with a refusal from a service: field errors are shown beside their fields, a conflict
 * (stale version, duplicate, wrong state) as a message above the form; anything else (403, 404, 5xx) goes to
 * the error page. Also the conversion of repeated form fields (check boxes, multiple selects) into id lists.
 */
import { HttpException } from '@nestjs/common';
import type { FieldError } from '../common/http/validation.js';

export interface FormRefusal {
  status: number;
  errors: FieldError[];
  message?: string;
}

/** The refusal to show on the form, or the error itself rethrown when a form cannot show it. */
export function formRefusal(error: unknown): FormRefusal {
  if (!(error instanceof HttpException)) throw error;
  const status = error.getStatus();
  if (status !== 400 && status !== 409 && status !== 422) throw error;
  const payload = error.getResponse() as { message?: unknown; errors?: FieldError[] };
  const errors = Array.isArray(payload.errors) ? payload.errors : [];
  const message = typeof payload.message === 'string' ? payload.message : undefined;
  return { status, errors, message: errors.length ? undefined : message };
}

/** A form field that may arrive once (a string) or repeated (an array): a list of ids, as the API takes it. */
export function idList(value: unknown): unknown {
  if (value === undefined || value === '') return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map((v: unknown) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : v));
}

/** A fixed message key from the address, and the id it refers to; anything else yields nothing. */
export function flashKey<K extends string>(
  query: Record<string, unknown>,
  keys: readonly K[],
  idParam: string,
): { key: K; id: number } | null {
  const key = query.erfolg;
  const id = Number(query[idParam]);
  if (typeof key !== 'string' || !keys.includes(key as K) || !Number.isSafeInteger(id) || id < 1) return null;
  return { key: key as K, id };
}
