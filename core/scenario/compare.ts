// Compares the events a run observed with the ones its scenario expects: observed events
// of the types the scenario mentions must match the expected ones one to one, in order;
// each expected event names only the fields it cares about.
import type { LoggedEvent } from '../contract';
import type { ExpectedEvent } from './format';
import { sessionIdOfEvent } from './observation';

/** How the run names sessions: sim streams, launched apps, and the recorded aliases it binds as it goes. */
export interface SessionNaming {
  /** Whether a session (by id) is one a sim stream alias belonged to (a moved stream belongs to several in turn). */
  sessionOfStream(sessionId: string, stream: string): boolean;
  /** Whether a session (by id) belongs to a launched app. */
  sessionOfApp(sessionId: string, app: string): boolean;
  /** What to call a session in the diff. */
  nameOf(sessionId: string): string | undefined;
}

export interface Comparison {
  passed: boolean;
  /** One line per expected or observed event: "  ✓ ...", "  - expected ...", "  + observed ...". */
  lines: string[];
  /** Per expected event whether it matched, and each unexpected one: a JUnit test case each. */
  results: { name: string; passed: boolean; detail: string }[];
}

export interface CompareOptions {
  /**
   * On a real server, whether a new stream is already running when its session is first
   * reported is timing (mpv creates its stream corked, then starts it): fold a session's
   * first state change, when nothing else of the session came between, into its creation,
   * on both sides.
   */
  foldFirstStateChange?: boolean;
}

export function compareEvents(
  expectedGiven: readonly ExpectedEvent[],
  expectLinesGiven: readonly number[],
  observedAll: readonly LoggedEvent[],
  naming: SessionNaming,
  options: CompareOptions = {},
): Comparison {
  const [expected, expectLines] = options.foldFirstStateChange ? foldExpected(expectedGiven, expectLinesGiven) : [expectedGiven, expectLinesGiven];
  const types = new Set(expected.map((event) => event.type));
  const observed = (options.foldFirstStateChange ? foldObserved(observedAll) : observedAll).filter((event) => types.has(event.type));
  const bound = new Map<string, string>();
  const aliasOf = (sessionId: string) => [...bound].find(([, id]) => id === sessionId)?.[0] ?? naming.nameOf(sessionId);
  const lines: string[] = [];
  const results: Comparison['results'] = [];
  let passed = true;
  for (let index = 0; index < Math.max(expected.length, observed.length); index += 1) {
    const want = expected[index];
    const got = observed[index];
    const line = expectLines[index] ?? 0;
    if (want && got && matches(want, got, naming, bound)) {
      const text = describeObserved(got, aliasOf, want);
      lines.push(`  ✓ ${text}`);
      results.push({ name: `event at line ${line}: ${want.type}`, passed: true, detail: text });
      continue;
    }
    passed = false;
    const observedText = got ? `observed: ${describeObserved(got, aliasOf, want)}` : 'observed: nothing more';
    if (want) {
      lines.push(`  - expected (line ${line}): ${describeExpected(want)}`);
      results.push({ name: `event at line ${line}: ${want.type}`, passed: false, detail: `expected ${describeExpected(want)}, ${observedText}` });
    } else results.push({ name: `unexpected event #${index + 1}: ${got?.type}`, passed: false, detail: observedText });
    lines.push(`  + ${observedText}`);
  }
  return { passed, lines, results };
}

function foldObserved(events: readonly LoggedEvent[]): LoggedEvent[] {
  const folded: LoggedEvent[] = [];
  const fresh = new Map<string, number>();
  for (const event of events) {
    const id = sessionIdOfEvent(event);
    if (event.type === 'session-created') fresh.set(event.session.id, folded.length);
    else if (id !== undefined && fresh.has(id)) {
      const index = fresh.get(id) as number;
      fresh.delete(id);
      const creation = folded[index];
      if (event.type === 'state-changed' && !event.terminated && creation?.type === 'session-created') {
        folded[index] = { ...creation, session: { ...creation.session, state: event.state } };
        continue;
      }
    }
    folded.push(event);
  }
  return folded;
}

function foldExpected(events: readonly ExpectedEvent[], lines: readonly number[]): [ExpectedEvent[], number[]] {
  const folded: ExpectedEvent[] = [];
  const foldedLines: number[] = [];
  const fresh = new Map<string, number>();
  events.forEach((event, position) => {
    const key = event.sessionAlias ?? event.app ?? event.stream;
    if (event.type === 'session-created' && key !== undefined) fresh.set(key, folded.length);
    else if (key !== undefined && fresh.has(key)) {
      const index = fresh.get(key) as number;
      fresh.delete(key);
      const creation = folded[index] as ExpectedEvent;
      if (event.type === 'state-changed' && event.terminated !== true) {
        folded[index] = { ...creation, session: { ...(creation.session as object), state: event.state } };
        return;
      }
    }
    folded.push(event);
    foldedLines.push(lines[position] ?? 0);
  });
  return [folded, foldedLines];
}

function matches(want: ExpectedEvent, got: LoggedEvent, naming: SessionNaming, bound: Map<string, string>): boolean {
  const { type, stream, app, sessionAlias, at, ...fields } = want;
  if (type !== got.type) return false;
  const sessionId = sessionIdOfEvent(got);
  if (stream !== undefined && (sessionId === undefined || !naming.sessionOfStream(sessionId, stream))) return false;
  if (app !== undefined && (sessionId === undefined || !naming.sessionOfApp(sessionId, app))) return false;
  if (!isSubset(fields, got)) return false;
  if (sessionAlias !== undefined) {
    if (sessionId === undefined) return false;
    const known = bound.get(sessionAlias);
    if (known !== undefined) return known === sessionId;
    // A new alias binds to the first matching session no other alias holds, or to a new
    // life (session-created) of one whose id came back.
    if (got.type !== 'session-created' && [...bound.values()].includes(sessionId)) return false;
    bound.set(sessionAlias, sessionId);
  }
  return true;
}

/** Every field of `want` is in `got` with an equal value (numbers within a rounding error). */
function isSubset(want: unknown, got: unknown): boolean {
  if (typeof want === 'number' && typeof got === 'number') return Math.abs(want - got) < 1e-6;
  if (Array.isArray(want)) return Array.isArray(got) && want.length === got.length && want.every((item, i) => isSubset(item, got[i]));
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object') return false;
    return Object.entries(want).every(([key, value]) => isSubset(value, (got as Record<string, unknown>)[key]));
  }
  return want === got;
}

const SESSION_KEYS = ['type', 'stream', 'app', 'sessionAlias', 'at'];

function describeExpected(want: ExpectedEvent): string {
  const { type, stream, app, sessionAlias, at, ...fields } = want;
  const who = stream ?? app ?? sessionAlias;
  return `${type}${who ? ` ${who}` : ''}${Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}`;
}

/** The observed event in the expectation's terms: its session by alias, and the fields the expectation names. */
function describeObserved(got: LoggedEvent, aliasOf: (sessionId: string) => string | undefined, want: ExpectedEvent | undefined): string {
  const sessionId = sessionIdOfEvent(got);
  const who = sessionId ? ` ${aliasOf(sessionId) ?? `(session ${sessionId})`}` : '';
  const { type, seq, time, source, ...rest } = got;
  const wanted = want && want.type === got.type ? Object.keys(want).filter((key) => !SESSION_KEYS.includes(key)) : [];
  const shown =
    wanted.length > 0
      ? Object.fromEntries(wanted.map((key) => [key, project((rest as Record<string, unknown>)[key], (want as Record<string, unknown>)[key])]))
      : summary(got);
  return `${type}${who} ${JSON.stringify(shown)}`;
}

/** Cuts an observed value down to the shape of the expected one, so the diff reads side by side. */
function project(value: unknown, shape: unknown): unknown {
  if (shape === null || typeof shape !== 'object' || Array.isArray(shape) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(shape).map((key) => [key, project((value as Record<string, unknown>)[key], (shape as Record<string, unknown>)[key])]));
}

function summary(event: LoggedEvent): Record<string, unknown> {
  switch (event.type) {
    case 'session-created':
      return { displayName: event.session.displayName, pid: event.session.pid, flow: event.session.flow, state: event.session.state };
    case 'device-added':
    case 'device-changed':
      return { id: event.device.id, name: event.device.name };
    default: {
      const { type, seq, time, source, ...rest } = event as LoggedEvent & Record<string, unknown>;
      delete rest.sessionId;
      return rest;
    }
  }
}
