import { addYears, demoCycleState, yearsSince } from './example-data-dates.js';

describe('example data reaching today', () => {
  it('moves a date by whole years, 29 February to 28 February in a common year', () => {
    expect(addYears('2025-06-30', 1)).toBe('2026-06-30');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2023-02-28', 1)).toBe('2024-02-28');
  });

  it('counts the whole years since the day the data was written, never fewer than none', () => {
    expect(yearsSince('2026-07-15', '2026-12-01')).toBe(0);
    expect(yearsSince('2026-07-15', '2027-07-14')).toBe(0);
    expect(yearsSince('2026-07-15', '2027-07-15')).toBe(1);
    expect(yearsSince('2026-07-15', '2029-01-01')).toBe(2);
    expect(yearsSince('2026-07-15', '2025-01-01')).toBe(0);
    expect(yearsSince(undefined, '2030-01-01')).toBe(0);
  });

  it('gives a cycle the state its dates imply today, never less than the listed one', () => {
    const cycle = { periodStart: '2024-01-01', inputDeadline: '2026-01-31', publicationTarget: '2026-03-31' };
    expect(demoCycleState(cycle, undefined, '2023-12-31')).toBe('planned');
    expect(demoCycleState(cycle, undefined, '2025-05-01')).toBe('collecting');
    expect(demoCycleState(cycle, 'reviewing', '2025-05-01')).toBe('reviewing');
    expect(demoCycleState(cycle, undefined, '2026-02-01')).toBe('closed');
    expect(demoCycleState(cycle, 'collecting', '2026-04-01')).toBe('published');
    expect(demoCycleState({ ...cycle, publicationTarget: null }, undefined, '2030-01-01')).toBe('closed');
  });
});
