// What a scenario run reports: every expectation passed or failed (expected events, the
// steps' own results, the leak checks), the diff to print, and the observation the rule
// checks read. Shared by the sim run and the runs on real backends.
import type { LoggedEvent } from '../contract';
import type { BackendName } from '../../native-bridge/types';
import type { SessionNaming } from './compare';
import { compareEvents } from './compare';
import type { ParsedScenario } from './format';
import { backendOf } from './format';
import type { Observation, ObservedSession } from './observation';
import { sessionIdOfEvent } from './observation';

/** One checked expectation: one test case in JUnit. */
export interface Expectation {
  name: string;
  passed: boolean;
  detail: string;
}

export interface ScenarioReport {
  name: string;
  backend: BackendName;
  passed: boolean;
  /** Human-readable comparison, one line per expected or observed event (and failed step or leak). */
  diff: string[];
  observed: LoggedEvent[];
  observation: Observation;
  expectations: Expectation[];
}

export interface StepFailure {
  line: number;
  step: string;
  reason: string;
}

export interface RunOutcome {
  observed: LoggedEvent[];
  observation: Observation;
  stepFailures: StepFailure[];
  naming: SessionNaming;
  /** Who owns a session for the sessions-per-app leak check (an app name, a pid), or null for none. */
  ownerOf(session: ObservedSession): string | null;
}

export function buildReport({ scenario, expectLines }: ParsedScenario, outcome: RunOutcome): ScenarioReport {
  const comparison = compareEvents(scenario.expect.events, expectLines, outcome.observed, outcome.naming, {
    foldTransientStates: backendOf(scenario) !== 'sim',
  });
  const expectations: Expectation[] = [
    ...outcome.stepFailures.map((failure) => ({ name: `step at line ${failure.line}: ${failure.step}`, passed: false, detail: failure.reason })),
    ...comparison.results,
  ];
  const diff = [...outcome.stepFailures.map((failure) => `  ! step at line ${failure.line}: ${failure.reason}`), ...comparison.lines];
  const limit = scenario.expect.sessionsPerApp;
  if (limit !== undefined) {
    const leaks = sessionsPerOwner(outcome.observation, outcome.ownerOf, limit);
    expectations.push({ name: `at most ${limit} session(s) per app`, passed: leaks.length === 0, detail: leaks.join('; ') || 'held' });
    diff.push(...leaks.map((leak) => `  ! leak: ${leak}`));
  }
  return {
    name: scenario.name,
    backend: backendOf(scenario),
    passed: outcome.stepFailures.length === 0 && comparison.passed && expectations.every((expectation) => expectation.passed),
    diff,
    observed: outcome.observed,
    observation: outcome.observation,
    expectations,
  };
}

/** Each time an owner has more live sessions than `limit`, once per owner: "player had 2 sessions at 1200 ms (…)". */
function sessionsPerOwner(observation: Observation, ownerOf: (session: ObservedSession) => string | null, limit: number): string[] {
  const live = new Map<string, ObservedSession>(observation.sessions.map((session) => [session.id, session]));
  const reported = new Set<string>();
  const found: string[] = [];
  const inspect = (at: number) => {
    const byOwner = new Map<string, ObservedSession[]>();
    for (const session of live.values()) {
      const owner = ownerOf(session);
      if (owner !== null) byOwner.set(owner, [...(byOwner.get(owner) ?? []), session]);
    }
    for (const [owner, sessions] of byOwner) {
      if (sessions.length <= limit || reported.has(owner)) continue;
      reported.add(owner);
      found.push(`${owner} had ${sessions.length} sessions at ${at} ms (${sessions.map((session) => `${session.id} on ${session.deviceId}`).join(', ')}), at most ${limit} expected`);
    }
  };
  inspect(0);
  for (const { at, event } of observation.events) {
    const id = sessionIdOfEvent(event);
    if (event.type === 'session-created') live.set(event.session.id, event.session);
    else if ((event.type === 'state-changed' && event.terminated) || event.type === 'disconnected') {
      if (id !== undefined) live.delete(id);
    }
    inspect(at);
  }
  return found;
}
