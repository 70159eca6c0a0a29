// A long strip list rendered in runs (components without an element of their own: the
// strips stay one row in the DOM). React walks every child of a parent whose subtree
// changed, so one strip's update in a flat list of 500 walks 500 siblings; in runs it
// walks the runs and one run's strips. A strip keeps its run while strips come and go
// around it, so nothing is remounted (focus, an open menu and a drag stay); only a strip
// that moved past others starts a run of its own.
import { useState } from 'react';

/** Strips per run: new strips join the run before them until it holds this many. */
export const RUN_LENGTH = 25;

export interface StripRun {
  /** Stable while the run lasts: the React key. */
  id: number;
  keys: readonly string[];
}

/** `keys` in runs, each key in the run it was in before where it can be; unchanged runs are the same objects. */
export function toRuns(keys: readonly string[], previous: readonly StripRun[]): StripRun[] {
  const runOf = new Map<string, StripRun>();
  for (const run of previous) for (const key of run.keys) runOf.set(key, run);
  let nextId = previous.reduce((max, run) => Math.max(max, run.id), -1) + 1;
  // `from`: the run before that the keys came from; a run made anew (`kept` false) gets a new id.
  const runs: { id: number; keys: string[]; from: StripRun | undefined; kept: boolean }[] = [];
  const placed = new Set<StripRun>();
  for (const [index, key] of keys.entries()) {
    const was = runOf.get(key);
    const current = runs.at(-1);
    if (was && current?.from === was) {
      current.keys.push(key);
    } else if (was) {
      // A run placed already: these strips moved past others, and start a run of their own.
      runs.push({ id: placed.has(was) ? nextId++ : was.id, keys: [key], from: was, kept: !placed.has(was) });
      placed.add(was);
    } else if (current && (current.keys.length < RUN_LENGTH || (current.from !== undefined && runOf.get(keys[index + 1] as string) === current.from))) {
      // A new strip joins the run it appeared in (inside a run, however long that gets).
      current.keys.push(key);
    } else {
      runs.push({ id: nextId++, keys: [key], from: undefined, kept: false });
    }
  }
  return runs.map(({ id, keys: runKeys, from, kept }) => (from && kept && sameKeys(from.keys, runKeys) ? from : { id, keys: runKeys }));
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, index) => key === b[index]);
}

/** The runs of a list's keys, following them as they change (compared by content: a growing list slices anew at each render). */
export function useStripRuns(keys: readonly string[]): readonly StripRun[] {
  const [made, setMade] = useState(() => ({ keys, runs: toRuns(keys, []) }));
  if (sameKeys(made.keys, keys)) return made.runs;
  const next = { keys, runs: toRuns(keys, made.runs) };
  setMade(next);
  return next.runs;
}
