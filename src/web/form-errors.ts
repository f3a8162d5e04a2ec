/** Validating a posted form with the API's DTO class, so the page and the API apply the same rules. */
import { validateDto } from '../common/http/validation.js';

export interface FormErrors {
  errors: Record<string, string[]>;
  errorList: { field: string; label: string; messages: string[] }[];
}

export function formErrors(
  list: { field: string; messages: string[] }[],
  labels: Record<string, string>,
): FormErrors {
  const errors: Record<string, string[]> = {};
  for (const e of list) errors[e.field] = [...(errors[e.field] ?? []), ...e.messages];
  return {
    errors,
    errorList: Object.entries(errors).map(([field, messages]) => ({
      field,
      label: labels[field] ?? field,
      messages,
    })),
  };
}

/** Form values arrive as strings: empty ones are dropped, numeric fields converted, then the DTO validates. */
export async function validateForm<T extends object>(
  dto: new () => T,
  body: Record<string, unknown>,
  numericFields: string[] = [],
): Promise<{ value: T; errors: { field: string; messages: string[] }[] }> {
  const plain: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(body)) {
    if (key === '_csrf' || raw === '' || raw === undefined) continue;
    plain[key] =
      numericFields.includes(key) && typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
        ? Number(raw.trim())
        : raw;
  }
  return validateDto(dto, plain, { stopAtFirstError: true });
}
