import { previousClosedCycle } from './cycle-rules.js';

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
