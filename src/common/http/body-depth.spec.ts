import { MAX_BODY_DEPTH, nestsDeeperThan } from './body-depth.js';

const objects = (depth: number): unknown => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
const arrays = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('nestsDeeperThan', () => {
  it('counts objects and arrays as levels, values as none', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({ a: 1 }, 1)).toBe(false);
    expect(nestsDeeperThan({ a: 1 }, 0)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 2)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 3)).toBe(false);
  });

  it('allows exactly the limit and refuses one level more', () => {
    expect(nestsDeeperThan(objects(MAX_BODY_DEPTH), MAX_BODY_DEPTH)).toBe(false);
    expect(nestsDeeperThan(objects(MAX_BODY_DEPTH + 1), MAX_BODY_DEPTH)).toBe(true);
    expect(nestsDeeperThan(arrays(MAX_BODY_DEPTH + 1), MAX_BODY_DEPTH)).toBe(true);
  });

  it('measures a body far deeper than the call stack allows without overflowing', () => {
    expect(nestsDeeperThan(arrays(100_000), MAX_BODY_DEPTH)).toBe(true);
    expect(nestsDeeperThan(arrays(100_000), 200_000)).toBe(false);
  });

  it('finds the deep branch among many shallow ones', () => {
    const wide = { list: Array.from({ length: 1000 }, (_, i) => ({ i })), deep: objects(500) };
    expect(nestsDeeperThan(wide, MAX_BODY_DEPTH)).toBe(true);
  });
});
