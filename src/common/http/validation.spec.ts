import { IsIn, IsInt, Max, MaxLength, validateSync } from 'class-validator';
import { DateField } from './dto-fields.js';
import { flattenValidationErrors, germanMessage } from './validation.js';

class Sample {
  @IsInt() @Max(100) progress: unknown;
  @MaxLength(5) title: unknown;
  @IsIn(['a', 'b']) kind: unknown;
}

class Dated {
  @DateField() start: unknown;
  @DateField() end: unknown;
}

describe('German validation messages', () => {
  it('lists every field with German messages that keep the numbers', () => {
    const sample = Object.assign(new Sample(), { progress: 150.5, title: 'zu lang', kind: 'c' });
    const errors = flattenValidationErrors(validateSync(sample));
    expect(errors).toEqual([
      { field: 'progress', messages: ['darf nicht größer als 100 sein', 'muss eine ganze Zahl sein'] },
      { field: 'title', messages: ['darf höchstens 5 Zeichen lang sein'] },
      { field: 'kind', messages: ['muss einer dieser Werte sein: a, b'] },
    ]);
  });

  it('calls a missing required value missing, not too large or not a number (an empty "Gremium" on a form)', () => {
    const errors = flattenValidationErrors(
      validateSync(Object.assign(new Sample(), { title: 'a', kind: 'a' })),
    );
    expect(errors).toEqual([{ field: 'progress', messages: ['ist ein Pflichtfeld'] }]);
    const first = flattenValidationErrors(
      validateSync(Object.assign(new Sample(), { title: 'a', kind: 'a' }), { stopAtFirstError: true }),
    );
    expect(first).toEqual([{ field: 'progress', messages: ['ist ein Pflichtfeld'] }]);
  });

  it('keeps a message it does not know', () => {
    expect(germanMessage('somethingNew', 'x is odd')).toBe('x is odd');
  });

  it('names a date that does not exist, and a date in another format, in German', () => {
    const dated = Object.assign(new Dated(), { start: '2025-02-30', end: '30.02.2025' });
    expect(flattenValidationErrors(validateSync(dated))).toEqual([
      { field: 'start', messages: ['ist kein gültiges Datum: den 30.02.2025 gibt es nicht'] },
      { field: 'end', messages: ['muss ein Datum im Format JJJJ-MM-TT sein'] },
    ]);
    expect(validateSync(Object.assign(new Dated(), { start: '2024-02-29', end: '2025-12-31' }))).toEqual([]);
  });
});
