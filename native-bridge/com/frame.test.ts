import { describe, expect, it } from 'vitest';
import { Frame, FrameOverflowError } from './frame';

describe('call frames', () => {
  it('hands out aligned, zeroed space and the native address of each piece', () => {
    const frame = new Frame(Buffer.alloc(64, 0xff), 0x1000n);
    expect(frame.allocate(3)).toBe(0);
    expect(frame.allocate(8)).toBe(8);
    expect(frame.buffer.subarray(8, 16).every((byte) => byte === 0)).toBe(true);
    expect(frame.address(8)).toBe(0x1008n);
    expect(frame.putWideString('ab')).toBe(0x1010n);
    frame.reset();
    expect(frame.allocate(1)).toBe(0);
  });

  it('reports how much a call needed when it overflows', () => {
    const frame = new Frame(Buffer.alloc(16), 0n);
    expect(() => frame.allocate(32)).toThrow(FrameOverflowError);
    try {
      frame.allocate(32);
    } catch (error) {
      expect((error as FrameOverflowError).needed).toBe(32);
    }
  });
});
