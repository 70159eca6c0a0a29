import { describe, expect, it } from 'vitest';
import { EventRing } from './event-ring';

function filled(capacity: number, count: number): EventRing<number> {
  const ring = new EventRing<number>(capacity);
  ring.push(Array.from({ length: count }, (_, index) => index + 1));
  return ring;
}

describe('EventRing', () => {
  it('keeps everything up to its capacity', () => {
    const ring = filled(100, 60);
    expect(ring.length).toBe(60);
    expect(ring.dropped).toBe(0);
    expect(ring.at(0)).toBe(1);
    expect(ring.at(59)).toBe(60);
    expect(ring.at(60)).toBeUndefined();
    expect(ring.at(-1)).toBeUndefined();
  });

  it('pushes the oldest out past its capacity and counts them', () => {
    const ring = filled(100, 250);
    expect(ring.length).toBe(100);
    expect(ring.dropped).toBe(150);
    expect(ring.at(0)).toBe(151);
    expect(ring.at(99)).toBe(250);
    expect(ring.toArray()).toEqual(Array.from({ length: 100 }, (_, index) => 151 + index));
  });

  it('keeps counting across several pushes that wrap around', () => {
    const ring = filled(100, 90);
    ring.push([91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102]);
    ring.push([103]);
    expect(ring.dropped).toBe(3);
    expect(ring.at(0)).toBe(4);
    expect(ring.at(99)).toBe(103);
  });

  it('keeps the newest entries when shrunk, counting the rest as dropped', () => {
    const ring = filled(200, 150);
    ring.resize(100);
    expect(ring.capacity).toBe(100);
    expect(ring.dropped).toBe(50);
    expect(ring.toArray()[0]).toBe(51);
    ring.push([151]);
    expect(ring.dropped).toBe(51);
    expect(ring.at(99)).toBe(151);
  });

  it('keeps everything when grown', () => {
    const ring = filled(100, 130);
    ring.resize(1000);
    expect(ring.length).toBe(100);
    expect(ring.dropped).toBe(30);
    ring.push([131]);
    expect(ring.length).toBe(101);
    expect(ring.dropped).toBe(30);
  });

  it('forgets entries and the dropped count when cleared', () => {
    const ring = filled(100, 120);
    ring.clear();
    expect(ring.length).toBe(0);
    expect(ring.dropped).toBe(0);
    ring.push([1]);
    expect(ring.toArray()).toEqual([1]);
  });

  it('refuses a size it cannot honour', () => {
    expect(() => new EventRing(0)).toThrow(RangeError);
    expect(() => new EventRing(99)).toThrow('from 100 to 1000000');
    expect(() => new EventRing(10.5)).toThrow(RangeError);
    expect(() => filled(100, 1).resize(Number.NaN)).toThrow(RangeError);
    expect(() => new EventRing(1_000_001)).toThrow(RangeError);
  });
});
