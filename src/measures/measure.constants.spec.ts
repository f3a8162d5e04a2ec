import { naturalSortKey } from './measure.constants.js';

describe('naturalSortKey', () => {
  it('orders codes by the value of their numbers', () => {
    const codes = ['3.10-01', '3.2-10', '3.2-2', '3.1-04', '10.1-01', '3.13-1a', '3.13-1'];
    const sorted = [...codes].sort(
      (a, b) => naturalSortKey(a).localeCompare(naturalSortKey(b)) || a.localeCompare(b),
    );
    expect(sorted).toEqual(['3.1-04', '3.2-2', '3.2-10', '3.10-01', '3.13-1', '3.13-1a', '10.1-01']);
  });

  it('keeps letters and separators, and pads every number to eight places', () => {
    expect(naturalSortKey('3.9-Z10')).toBe('00000003.00000009-Z00000010');
  });
});
