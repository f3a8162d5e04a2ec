import { nextCycle, previousClosedCycle } from './cycle-rules.js';

const cycle = (code: string, periodStart: string, periodEnd: string, snapshotId: number | null) => ({
  code,
  periodStart,
  periodEnd,
  snapshotId,
});

describe('previous closed cycle', () => {
  const cycles = [
    cycle('2022-2023', '2022-01-01', '2023-12-31', 1),
    cycle('2024-2025', '2024-01-01', '2025-12-31', 2),
    cycle('2026-2027', '2026-01-01', '2027-12-31', null),
  ];

  it('for the live state: the latest closed cycle', () => {
    expect(previousClosedCycle(cycles, null)?.code).toBe('2024-2025');
  });

  it('for an open cycle: the latest closed one that ended before it began', () => {
    expect(previousClosedCycle(cycles, cycles[2])?.code).toBe('2024-2025');
    expect(previousClosedCycle(cycles, cycles[1])?.code).toBe('2022-2023');
  });

  it('for a closed cycle: never its own snapshot; none before the first', () => {
    expect(previousClosedCycle(cycles, cycles[1], 2)?.code).toBe('2022-2023');
    expect(previousClosedCycle(cycles, cycles[0], 1)).toBeNull();
    expect(previousClosedCycle(cycles, null, 2)?.code).toBe('2022-2023');
  });

  it('does not depend on the order of the list', () => {
    expect(previousClosedCycle([...cycles].reverse(), cycles[2])?.code).toBe('2024-2025');
  });
});

describe('the next cycle by the reporting rhythm', () => {
  it('every two years: the two years after the latest period, due at the end of the following January', () => {
    expect(nextCycle('2027-12-31', 24, '2026-12-01')).toEqual({
      code: '2028-2029',
      periodStart: '2028-01-01',
      periodEnd: '2029-12-31',
      inputDeadline: '2030-01-31',
    });
  });

  it('yearly: the following year', () => {
    expect(nextCycle('2027-12-31', 12, '2026-12-01')).toEqual({
      code: '2028',
      periodStart: '2028-01-01',
      periodEnd: '2028-12-31',
      inputDeadline: '2029-01-31',
    });
  });

  it('a plan without cycles starts with the current year; half-yearly periods end at the month’s end', () => {
    expect(nextCycle(null, 6, '2026-12-01')).toEqual({
      code: '2026',
      periodStart: '2026-01-01',
      periodEnd: '2026-06-30',
      inputDeadline: '2026-07-31',
    });
  });
});
