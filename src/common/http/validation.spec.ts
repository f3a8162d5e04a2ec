import { IsIn, IsInt, Max, MaxLength, validateSync } from 'class-validator';
import { flattenValidationErrors, germanMessage } from './validation.js';

class Sample {
  @IsInt() @Max(100) progress: unknown;
  @MaxLength(5) title: unknown;
  @IsIn(['a', 'b']) kind: unknown;
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

  it('keeps a message it does not know', () => {
    expect(germanMessage('somethingNew', 'x is odd')).toBe('x is odd');
  });
});
