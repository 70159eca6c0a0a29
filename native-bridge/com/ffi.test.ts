import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { withTableLock } from './ffi';

/** The function as the sink thread gets it: its text alone, evaluated where nothing of ffi.ts is in scope. */
const embedded = new Function(`return ${withTableLock.toString()};`)() as typeof withTableLock;

describe('withTableLock as the sink thread embeds it', () => {
  it('runs from its own text: returns the result and frees the lock, also when the run throws', () => {
    const lock = new Int32Array(new SharedArrayBuffer(4));
    expect(embedded(lock, () => Atomics.load(lock, 0))).toBe(1);
    expect(Atomics.load(lock, 0)).toBe(0);
    expect(() => embedded(lock, () => {
      throw new Error('the call failed');
    })).toThrow('the call failed');
    expect(Atomics.load(lock, 0)).toBe(0);
  });

  it('waits while another thread holds the lock', async () => {
    // [0]: the lock; [1]: set by the other thread as the last thing it does holding it.
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const lock = shared.subarray(0, 1);
    const holder = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const shared = new Int32Array(workerData);
       const withTableLock = ${withTableLock.toString()};
       withTableLock(shared.subarray(0, 1), () => {
         parentPort.postMessage('held');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
         Atomics.store(shared, 1, 1);
       });`,
      { eval: true, workerData: shared.buffer },
    );
    await new Promise((resolve) => holder.once('message', resolve));
    expect(embedded(lock, () => Atomics.load(shared, 1))).toBe(1);
    await holder.terminate();
  }, 30_000);
});
