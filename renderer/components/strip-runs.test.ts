import { describe, expect, it } from 'vitest';
import { RUN_LENGTH, toRuns } from './strip-runs';

const keys = (count: number, from = 0) => Array.from({ length: count }, (_, index) => `s${from + index}`);
const runOfKey = (runs: ReturnType<typeof toRuns>) => new Map(runs.flatMap((run) => run.keys.map((key) => [key, run.id] as const)));

describe('toRuns', () => {
  it('cuts a list into runs of RUN_LENGTH, in order, and keeps every run object while the keys hold', () => {
    const list = keys(RUN_LENGTH * 2 + 3);
    const runs = toRuns(list, []);
    expect(runs.map((run) => run.keys.length)).toEqual([RUN_LENGTH, RUN_LENGTH, 3]);
    expect(runs.flatMap((run) => run.keys)).toEqual(list);
    const again = toRuns([...list], runs);
    expect(again.every((run, index) => run === runs[index])).toBe(true);
  });

  it('keeps every strip in its run while others come and go around it, changing only the runs touched', () => {
    const list = keys(RUN_LENGTH * 3);
    const runs = toRuns(list, []);
    const before = runOfKey(runs);
    // One removed from the first run, one inserted into the second, some appended: a list growing step by step.
    const next = [...list.slice(1, RUN_LENGTH + 5), 'new-inside', ...list.slice(RUN_LENGTH + 5), ...keys(30, 1000)];
    const after = toRuns(next, runs);
    expect(after.flatMap((run) => run.keys)).toEqual(next);
    for (const key of list.slice(1)) expect(runOfKey(after).get(key), key).toBe(before.get(key));
    expect(runOfKey(after).get('new-inside')).toBe(before.get(list[RUN_LENGTH + 4] as string));
    expect(after[0]).not.toBe(runs[0]);
    expect(after[1]).not.toBe(runs[1]);
    // The third run was full: it is untouched, and the appended strips make runs of their own.
    expect(after[2]).toBe(runs[2]);
    expect(after.slice(3).flatMap((run) => run.keys)).toEqual(keys(30, 1000));
  });

  it('gives strips that moved past others a run of their own, with an id no other run has', () => {
    const list = keys(RUN_LENGTH * 2);
    const runs = toRuns(list, []);
    // The second run's first three strips move to the front.
    const moved = [...list.slice(RUN_LENGTH, RUN_LENGTH + 3), ...list.slice(0, RUN_LENGTH), ...list.slice(RUN_LENGTH + 3)];
    const after = toRuns(moved, runs);
    expect(after.flatMap((run) => run.keys)).toEqual(moved);
    const ids = after.map((run) => run.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(runOfKey(after).get(list[0] as string)).toBe(runOfKey(runs).get(list[0] as string));
  });
});
