// Compares the events a run observed with the ones its scenario expects: observed events
// of the types the scenario mentions must match the expected ones one to one, in order;
// each expected event names only the fields it cares about.
import type { LoggedEvent } from '../contract';
import type { SessionState } from '../../native-bridge/types';
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
   * On a real server, a session's state right at its start and end is timing: whether a
   * new stream already runs when the server first reports it (mpv opens its stream corked,
   * then starts it at once), whether a closing player drains it first (inactive, then gone
   * in the same update), whether a player under load corks for a moment. On both sides, a
   * state change within TRANSIENT_MS after its session's creation is folded into the
   * creation, one within TRANSIENT_MS before its termination is dropped, and a change
   * undone within TRANSIENT_MS is dropped with its undoing (with no other state change of
   * that session between); so is a streams-changed within TRANSIENT_MS of the creation. Expected events without a time (`at`) are taken as they are.
   */
  foldTransientStates?: boolean;
}

/** A tenth of a second: what players take to start or drain a stream (mpv: 0..35 ms measured), below any pause a person makes. */
export const TRANSIENT_MS = 100;

export function compareEvents(
  expectedGiven: readonly ExpectedEvent[],
  expectLinesGiven: readonly number[],
  observedAll: readonly LoggedEvent[],
  naming: SessionNaming,
  options: CompareOptions = {},
): Comparison {
  const fold = options.foldTransientStates ?? false;
  const keptExpected = fold ? foldTransients(expectedGiven, expectedShape) : expectedGiven.map((event, index) => ({ event, index }));
  const expected = keptExpected.map(({ event }) => event);
  const expectLines = keptExpected.map(({ index }) => expectLinesGiven[index] ?? 0);
  const types = new Set(expected.map((event) => event.type));
  const observed = (fold ? foldTransients(observedAll, observedShape).map(({ event }) => event) : observedAll).filter((event) => types.has(event.type));
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

/** How to read one side's events for folding. */
interface EventShape<T> {
  sessionOf(event: T): string | undefined;
  isCreation(event: T): boolean;
  /** A non-final state change: the state it changes to. */
  stateChange(event: T): string | null;
  isTermination(event: T): boolean;
  withState(creation: T, state: string): T;
  creationState(creation: T): string | undefined;
  timeOf(event: T): number | undefined;
}

const observedShape: EventShape<LoggedEvent> = {
  sessionOf: sessionIdOfEvent,
  isCreation: (event) => event.type === 'session-created',
  stateChange: (event) => (event.type === 'state-changed' && !event.terminated ? event.state : null),
  isTermination: (event) => event.type === 'state-changed' && event.terminated,
  withState: (creation, state) => (creation.type === 'session-created' ? { ...creation, session: { ...creation.session, state: state as SessionState } } : creation),
  creationState: (event) => (event.type === 'session-created' ? event.session.state : undefined),
  timeOf: (event) => event.time,
};

const expectedShape: EventShape<ExpectedEvent> = {
  sessionOf: (event) => event.sessionAlias ?? event.app ?? event.stream,
  isCreation: (event) => event.type === 'session-created',
  stateChange: (event) => (event.type === 'state-changed' && event.terminated !== true && typeof event.state === 'string' ? event.state : null),
  isTermination: (event) => event.type === 'state-changed' && event.terminated === true,
  withState: (creation, state) => ({ ...creation, session: { ...(creation.session as object), state } }),
  creationState: (event) => {
    const session = event.session as { state?: unknown } | undefined;
    return typeof session?.state === 'string' ? session.state : undefined;
  },
  timeOf: (event) => event.at,
};

interface LastLifecycle {
  /** Where in `kept` it is. */
  at: number;
  creation: boolean;
  /** For a state change: the state before it. */
  stateBefore: string | null;
  /** The session's lifecycle event before this one. */
  previous: LastLifecycle | undefined;
}

/** The events that remain after folding, each with its index in the input. */
function foldTransients<T>(events: readonly T[], shape: EventShape<T>): { event: T; index: number }[] {
  const kept: ({ event: T; index: number } | null)[] = [];
  const last = new Map<string, LastLifecycle>();
  const stateOf = new Map<string, string>();
  const close = (a: T, b: T) => {
    const [from, to] = [shape.timeOf(a), shape.timeOf(b)];
    return from !== undefined && to !== undefined && Math.abs(to - from) <= TRANSIENT_MS;
  };
  events.forEach((event, index) => {
    // Only a session's lifecycle events (creation, state changes, termination) take part.
    const state = shape.stateChange(event);
    const lifecycle = shape.isCreation(event) || shape.isTermination(event) || state !== null;
    const session = lifecycle ? shape.sessionOf(event) : undefined;
    // What a new stream says it plays may come with its creation or a moment after it.
    const streamsOf = event && (event as { type?: unknown }).type === 'streams-changed' ? shape.sessionOf(event) : undefined;
    const creation = streamsOf === undefined ? undefined : last.get(streamsOf);
    if (creation?.creation && close((kept[creation.at] as { event: T }).event, event)) return;
    if (session === undefined) {
      kept.push({ event, index });
      return;
    }
    const previous = last.get(session);
    const before = previous ? kept[previous.at] : null;
    if (previous && before && close(before.event, event)) {
      if (state !== null && previous.creation) {
        // Started (or stopped) right as it was created: the creation's state.
        kept[previous.at] = { event: shape.withState(before.event, state), index: before.index };
        last.set(session, { ...previous, creation: false, stateBefore: null });
        stateOf.set(session, state);
        return;
      }
      if (state !== null && previous.stateBefore !== null && state === previous.stateBefore) {
        // A blip (inactive for a moment, then active again): neither change.
        kept[previous.at] = null;
        stateOf.set(session, state);
        if (previous.previous) last.set(session, previous.previous);
        else last.delete(session);
        return;
      }
      if (shape.isTermination(event) && previous.stateBefore !== null) kept[previous.at] = null;
    }
    last.set(session, { at: kept.length, creation: shape.isCreation(event), stateBefore: state === null ? null : (stateOf.get(session) ?? null), previous });
    if (shape.isCreation(event)) stateOf.set(session, shape.creationState(event) ?? '');
    else if (state !== null) stateOf.set(session, state);
    kept.push({ event, index });
  });
  return kept.filter((entry): entry is { event: T; index: number } => entry !== null);
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
