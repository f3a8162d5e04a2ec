import { germanDate, isCalendarDate } from './calendar-date.js';

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2025-01-31', '2025-12-31', '2025-04-30', '0001-01-01', '0099-03-01'])(
    'accepts %s',
    (value) => {
      expect(isCalendarDate(value)).toBe(true);
    },
  );

  it.each([
    '2025-02-30',
    '2025-02-29',
    '1900-02-29',
    '2100-02-29',
    '2025-04-31',
    '2025-06-31',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '2025-01-32',
    '2025-2-3',
    '25-02-03',
    '2025-02-03T00:00:00Z',
    ' 2025-02-03',
    '30.02.2025',
    '',
  ])('refuses %s', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it.each([null, undefined, 20250203, new Date('2025-02-03'), ['2025-02-03']])(
    'refuses the non-string %p',
    (value) => {
      expect(isCalendarDate(value)).toBe(false);
    },
  );

  it('names a date the German way', () => {
    expect(germanDate('2025-02-30')).toBe('30.02.2025');
    expect(germanDate('gestern')).toBe('gestern');
  });
});
