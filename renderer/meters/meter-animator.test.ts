import { describe, expect, it } from 'vitest';
import { nextLevel } from './meter-animator';

const FRAME = 1 / 60;

function run(level: number, target: number, frames: number): number {
  let current = level;
  for (let index = 0; index < frames; index += 1) current = nextLevel(current, target, FRAME);
  return current;
}

describe('meter ballistics', () => {
  it('rises to a new peak within a few frames', () => {
    expect(run(0, 0.8, 1)).toBeGreaterThan(0.6);
    expect(run(0, 0.8, 5)).toBeCloseTo(0.8, 2);
  });

  it('falls smoothly instead of jumping down', () => {
    const afterOneFrame = run(0.8, 0, 1);
    expect(afterOneFrame).toBeLessThan(0.8);
    expect(afterOneFrame).toBeGreaterThan(0.7);
    expect(run(0.8, 0, 30)).toBeLessThan(0.3);
  });

  it('reaches silence and stays at the target, never below it', () => {
    expect(run(0.8, 0, 120)).toBe(0);
    expect(run(0.8, 0.5, 120)).toBe(0.5);
  });

  it('clamps targets outside 0..1', () => {
    expect(run(0, 3, 10)).toBeLessThanOrEqual(1);
    expect(run(0.5, -1, 200)).toBe(0);
  });
});
