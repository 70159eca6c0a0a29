import { describe, expect, it } from 'vitest';
import { EventLog } from './event-log';

const unduck = (n: number) => ({ type: 'unduck' as const, deviceId: 'd', sessionId: `s${n}` });

describe('EventLog', () => {
  it('keeps the newest entries in order and counts the dropped oldest', () => {
    const log = new EventLog(3);
    for (let n = 1; n <= 5; n += 1) log.append(unduck(n), 'event', 1000 + n);
    expect(log.entries().map((entry) => [entry.seq, entry.type === 'unduck' && entry.sessionId, entry.time])).toEqual([
      [3, 's3', 1003],
      [4, 's4', 1004],
      [5, 's5', 1005],
    ]);
    expect(log.dropped).toBe(2);
  });

  it('stamps the source of each entry', () => {
    const log = new EventLog(10);
    log.append(unduck(1), 'poll');
    expect(log.entries()[0]).toMatchObject({ seq: 1, source: 'poll', type: 'unduck' });
    expect(log.dropped).toBe(0);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new EventLog(0)).toThrow(RangeError);
    expect(() => new EventLog(1.5)).toThrow(RangeError);
  });
});
