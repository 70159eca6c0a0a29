// Checks an observation (observation.ts) against the session lifecycle rules R1..R27 of
// docs/session-rules.md. Pure: no I/O, no clock.
//
// Each backend has a table naming, for every rule, how it is judged there:
//  - a check over the observed events, reporting each violation with the event and its time;
//  - not applicable: the platform has no such thing (PulseAudio has no System Sounds session);
//  - not observable: the rule holds on the platform, but events cannot show it (an API's
//    error codes, what the mixer displays); SndMix's own tests cover those.
// A rule is never passed without a check: the last two are reported as such.
import type { BackendEvent, BackendName, DeviceRole, DisconnectReason, Flow, OutputRoute, SessionState } from '../../native-bridge/types';
import type { Observation, ObservedSession, TimedEvent } from './observation';
import { SETTLE_MS, sessionIdOfEvent } from './observation';

export const RULE_IDS = [
  'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11', 'R12', 'R13',
  'R14', 'R15', 'R16', 'R17', 'R18', 'R19', 'R20', 'R21', 'R22', 'R23', 'R24', 'R25', 'R26', 'R27',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** One line per rule, as docs/session-rules.md states it. */
export const RULE_TITLES: Record<RuleId, string> = {
  R1: 'a session is identified by GUID, cross-process or pid, device and flow',
  R2: 'the same GUID in two processes is two sessions',
  R3: 'a cross-process session differs from every process-specific one',
  R4: 'the same GUID and pid on two devices is two sessions',
  R5: 'a stream not assigned explicitly lands in its process default (GUID_NULL) session',
  R6: 'instances share the session identifier; the instance identifier is unique',
  R7: 'a stream belongs to one session for its whole life',
  R8: 'a session holds render or capture streams, never both',
  R9: 'active iff a stream runs; inactive, then expired',
  R10: 'terminated with its last stream; nothing follows termination',
  R11: 'the mixer shows active and inactive render sessions',
  R12: 'capture sessions are not shown by Sndvol',
  R13: 'volume and mute apply to every stream of the session',
  R14: 'render session volume and mute persist across restarts',
  R15: 'of several instances, the last one to terminate leaves the settings',
  R16: 'apps do not control unrelated sessions',
  R17: 'a client sets display name and icon when the first stream is assigned',
  R18: 'without a client name the mixer shows a default derived from the app',
  R19: 'System Sounds is labelled as such',
  R20: 'sessions sharing a grouping parameter show as one control',
  R21: 'notifications concern sessions that were announced',
  R22: 'new sessions are announced once, after the enumeration',
  R23: 'a communications stream ducks, and unducks when it closes',
  R24: 'a null out-pointer gives E_POINTER',
  R25: 'sessions on a device that went away are disconnected',
  R26: 'an app may have its own output device per flow',
  R27: 'streams that follow the default move with it; pinned ones stay',
};

export interface Violation {
  rule: RuleId;
  /** 1-based index of the event in the observation, or null for the sessions at the start. */
  eventNumber: number | null;
  at: number | null;
  eventType: BackendEvent['type'] | null;
  sessionId: string | null;
  message: string;
}

export type RuleVerdict =
  | { rule: RuleId; title: string; status: 'passed'; undecided?: string }
  | { rule: RuleId; title: string; status: 'failed'; violations: Violation[]; undecided?: string }
  | { rule: RuleId; title: string; status: 'not-applicable' | 'not-observable'; reason: string };

type Check = (replay: Replay) => Violation[];
/** A check may decide only part of its rule: `undecided` says which part events cannot show, and why. */
type RuleEntry = { check: Check; undecided?: string } | { notApplicable: string } | { notObservable: string };

// ---- The replay: each event with the state of its session just before it -------------

interface SessionLife {
  record: ObservedSession;
  state: SessionState;
  /** How the session ended, once it did; a later session-created with its id starts a new life. */
  ended: 'terminated' | 'disconnected' | null;
  disconnectedBy: DisconnectReason | null;
  wasActive: boolean;
  /** Whether the session was announced (listed at the start or session-created). */
  announced: boolean;
  ducks: number;
}

interface ReplayStep {
  number: number;
  timed: TimedEvent;
  sessionId: string | undefined;
  /** The session's life as it was before this event; undefined when unknown. */
  before: Readonly<SessionLife> | undefined;
}

interface Replay {
  observation: Observation;
  steps: ReplayStep[];
  /** Every session record seen (listed or created), in order. */
  records: { record: ObservedSession; step: ReplayStep | null }[];
  /** Lives still going at the end, by session id. */
  live: Map<string, SessionLife>;
  /** Sessions that were live on a device when its device-removed came. */
  removals: { step: ReplayStep; deviceId: string; sessionIds: string[] }[];
  /** Sessions that ended, with the event that ended them. */
  endings: Map<string, { step: ReplayStep; how: 'terminated' | 'disconnected'; reason: DisconnectReason | null }[]>;
  /** Each device's flow: listed at the start or added. */
  deviceFlows: Map<string, Flow>;
  /** Each change of a flow's default, with what was there SETTLE_MS after it (R27). */
  defaultChanges: DefaultChange[];
}

interface DefaultChange {
  step: ReplayStep;
  flow: Flow;
  role: DeviceRole;
  deviceId: string | null;
  /**
   * The live sessions as they were before the burst of changes this one belongs to (the
   * first change of the flow's default within SETTLE_MS of the one before): on pulse a
   * route is read off the default, so once it changed the sessions on the old default read
   * as pinned there until their streams move.
   */
  before: { stepNumber: number; sessions: ObservedSession[] };
  /**
   * The live sessions and the flow's default devices SETTLE_MS after the change; null when
   * the recording ended sooner or another change of the flow's default came first (then
   * that one is judged: a burst of changes, one per role, is judged once, after the last).
   */
  settled: { lives: SessionLife[]; defaults: Set<string> } | null;
}

function lifeOf(record: ObservedSession, announced: boolean): SessionLife {
  return { record, state: record.state, ended: null, disconnectedBy: null, wasActive: record.state === 'active', announced, ducks: 0 };
}

function replay(observation: Observation): Replay {
  const lives = new Map<string, SessionLife>();
  const records: Replay['records'] = [];
  for (const record of observation.sessions) {
    lives.set(record.id, lifeOf(record, true));
    records.push({ record, step: null });
  }
  const steps: ReplayStep[] = [];
  const deviceFlows = new Map(observation.devices.map((device) => [device.id, device.flow]));
  const defaults = new Map<string, string | null>();
  const roleKey = (flow: Flow, role: DeviceRole) => `${flow}|${role}`;
  for (const device of observation.devices) for (const role of device.defaultFor) defaults.set(roleKey(device.flow, role), device.id);
  const defaultChanges: DefaultChange[] = [];
  const pending = new Map<Flow, DefaultChange>();
  const settle = (change: DefaultChange) => {
    const onFlow = [...defaults].filter(([key, id]) => key.startsWith(`${change.flow}|`) && id !== null).map(([, id]) => id as string);
    const lives = [...livesNow()].map((life) => ({ ...life }));
    change.settled = { lives, defaults: new Set(onFlow) };
    pending.delete(change.flow);
  };
  const livesNow = () => [...lives.values()].filter((life) => life.ended === null);
  const removals: Replay['removals'] = [];
  const endings: Replay['endings'] = new Map();
  const ended = (id: string, step: ReplayStep, how: 'terminated' | 'disconnected', reason: DisconnectReason | null) => {
    endings.set(id, [...(endings.get(id) ?? []), { step, how, reason }]);
  };
  observation.events.forEach((timed, index) => {
    const { event } = timed;
    for (const change of [...pending.values()]) if (timed.at > change.step.timed.at + SETTLE_MS) settle(change);
    const sessionId = sessionIdOfEvent(event);
    const current = sessionId === undefined ? undefined : lives.get(sessionId);
    const step: ReplayStep = { number: index + 1, timed, sessionId, before: current ? { ...current } : undefined };
    steps.push(step);
    switch (event.type) {
      case 'session-created': {
        const record = event.session;
        records.push({ record, step });
        if (!current || current.ended) lives.set(record.id, lifeOf(record, true));
        break;
      }
      case 'state-changed':
        if (!current) break;
        current.state = event.state;
        current.wasActive ||= event.state === 'active';
        if (event.terminated) {
          current.ended = 'terminated';
          ended(current.record.id, step, 'terminated', null);
        }
        break;
      case 'disconnected':
        if (!current) break;
        current.disconnectedBy ??= event.reason;
        if (!current.ended) {
          current.ended = 'disconnected';
          ended(current.record.id, step, 'disconnected', event.reason);
        }
        break;
      case 'display-name-changed':
        if (current) current.record = { ...current.record, displayName: event.displayName, displayNameSource: event.displayNameSource };
        break;
      case 'icon-changed':
        if (current) current.record = { ...current.record, iconPath: event.iconPath };
        break;
      case 'duck':
        if (current) current.ducks += 1;
        break;
      case 'unduck':
        if (current) current.ducks = Math.max(0, current.ducks - 1);
        break;
      case 'device-removed': {
        const onDevice = [...lives.values()].filter((life) => !life.ended && life.record.deviceId === event.deviceId);
        removals.push({ step, deviceId: event.deviceId, sessionIds: onDevice.map((life) => life.record.id) });
        break;
      }
      case 'output-route-changed':
        if (current) current.record = { ...current.record, outputRoute: event.outputRoute };
        break;
      case 'device-added':
      case 'device-changed':
        deviceFlows.set(event.device.id, event.device.flow);
        break;
      case 'default-device-changed': {
        defaults.set(roleKey(event.flow, event.role), event.deviceId);
        const before = pending.get(event.flow)?.before ?? { stepNumber: step.number, sessions: livesNow().map((life) => life.record) };
        const change: DefaultChange = { step, flow: event.flow, role: event.role, deviceId: event.deviceId, before, settled: null };
        pending.set(event.flow, change);
        defaultChanges.push(change);
        break;
      }
      case 'volume-changed':
      case 'channel-volume-changed':
      case 'grouping-changed':
      case 'streams-changed':
        break;
    }
  });
  for (const change of [...pending.values()]) if (observation.durationMs >= change.step.timed.at + SETTLE_MS) settle(change);
  const live = new Map([...lives].filter(([, life]) => life.ended === null));
  return { observation, steps, records, live, removals, endings, deviceFlows, defaultChanges };
}

function violation(rule: RuleId, step: ReplayStep | null, message: string, sessionId?: string): Violation {
  return {
    rule,
    eventNumber: step?.number ?? null,
    at: step?.timed.at ?? null,
    eventType: step?.timed.event.type ?? null,
    sessionId: sessionId ?? step?.sessionId ?? null,
    message,
  };
}

// ---- Checks ----------------------------------------------------------------------------

/** R1..R4: the id is a function of the identity, both ways; which rule depends on what differs. */
const identityCheck =
  (rule: 'R1' | 'R2' | 'R3' | 'R4'): Check =>
  ({ records }) => {
    const found: Violation[] = [];
    const seenById = new Map<string, ObservedSession>();
    const idByKey = new Map<string, string>();
    for (const { record, step } of records) {
      const earlier = seenById.get(record.id);
      if (earlier) {
        const differs = identityDifference(earlier, record);
        if (differs === rule) {
          found.push(violation(rule, step, `session ${record.id} was ${describeIdentity(earlier)} and is now ${describeIdentity(record)}: two identities share one id`, record.id));
        }
      }
      seenById.set(record.id, record);
      const key = identityKey(record);
      const other = idByKey.get(key);
      if (rule === 'R1' && other !== undefined && other !== record.id) {
        found.push(violation('R1', step, `${describeIdentity(record)} had id ${other} and now has ${record.id}: the same identity must keep its id`, record.id));
      }
      idByKey.set(key, record.id);
    }
    return found;
  };

function identityKey(session: ObservedSession): string {
  const owner = session.crossProcess ? 'cross-process' : `pid ${session.pid}`;
  return [session.sessionGuid.toLowerCase(), owner, session.deviceId, session.flow].join('|');
}

function describeIdentity(session: ObservedSession): string {
  const owner = session.crossProcess ? 'cross-process' : `pid ${session.pid}`;
  return `(${session.sessionGuid}, ${owner}, ${session.deviceId}, ${session.flow})`;
}

/** Which rule a difference between two identities under one id breaks. */
function identityDifference(a: ObservedSession, b: ObservedSession): RuleId | null {
  if (a.crossProcess !== b.crossProcess) return 'R3';
  if (!a.crossProcess && a.pid !== b.pid) return 'R2';
  if (a.deviceId !== b.deviceId) return 'R4';
  if (a.sessionGuid.toLowerCase() !== b.sessionGuid.toLowerCase()) return 'R1';
  return null;
}

const GUID_NULL = '{00000000-0000-0000-0000-000000000000}';

/** R5 where no stream can choose a session: every session is its process's default one. */
const everySessionIsDefault: Check = ({ records }) =>
  records.flatMap(({ record, step }) =>
    record.sessionGuid.toLowerCase() === GUID_NULL && !record.crossProcess
      ? []
      : [violation('R5', step, `session ${record.id} is ${describeIdentity(record)}; a stream here can only land in its process's default session (GUID_NULL)`, record.id)],
  );

const instanceIdentifiers: Check = ({ records }) => {
  const found: Violation[] = [];
  const byInstance = new Map<string, ObservedSession>();
  const byApp = new Map<string, ObservedSession>();
  for (const { record, step } of records) {
    const other = byInstance.get(record.sessionInstanceIdentifier);
    if (other && other.id !== record.id) {
      found.push(violation('R6', step, `sessions ${other.id} and ${record.id} share the instance identifier ${record.sessionInstanceIdentifier}`, record.id));
    }
    byInstance.set(record.sessionInstanceIdentifier, record);
    if (record.crossProcess || record.processName === null) continue;
    const appKey = [record.processName, record.sessionGuid.toLowerCase(), record.deviceId, record.flow].join('|');
    const instance = byApp.get(appKey);
    if (instance && instance.pid !== record.pid && instance.sessionIdentifier !== record.sessionIdentifier) {
      found.push(violation('R6', step, `two instances of ${record.processName} (pids ${instance.pid}, ${record.pid}) have different session identifiers`, record.id));
    }
    byApp.set(appKey, record);
  }
  return found;
};

/** R8: one flow per session; where every device has one flow, the session's is its device's. */
const oneFlow =
  (flowFollowsDevice: boolean): Check =>
  ({ records, deviceFlows: deviceFlow }) => {
    const found: Violation[] = [];
    const flowById = new Map<string, string>();
    for (const { record, step } of records) {
      const flow = flowById.get(record.id);
      if (flow !== undefined && flow !== record.flow) {
        found.push(violation('R8', step, `session ${record.id} was ${flow} and is now ${record.flow}`, record.id));
      }
      flowById.set(record.id, record.flow);
      const device = deviceFlow.get(record.deviceId);
      if (flowFollowsDevice && device !== undefined && device !== record.flow) {
        found.push(violation('R8', step, `session ${record.id} is ${record.flow} on ${device} device ${record.deviceId}`, record.id));
      }
    }
    return found;
  };

/** R9: which state changes are legal; where sessions never expire, "expired" only ends one. */
const stateTransitions =
  (expires: boolean): Check =>
  ({ steps }) =>
    steps.flatMap((step) => {
      const { event } = step.timed;
      if (event.type !== 'state-changed' || !step.before || step.before.ended) return [];
      const from = step.before.state;
      if (event.terminated) return [];
      if (from === event.state) return [violation('R9', step, `state-changed to ${event.state}, which it already was`)];
      if (event.state === 'expired' && !expires) {
        return [violation('R9', step, 'expired without terminating: sessions here never expire, "expired" only marks their end')];
      }
      if (event.state === 'expired' && from !== 'inactive') return [violation('R9', step, `expired straight from ${from}: a session expires only after being inactive`)];
      return [];
    });

/** R9's leak side: an inactive session expires once it was inactive for expireAfterMs (System Sounds never does). */
const expiresWhenIdle: Check = ({ observation, steps }) => {
  const limit = observation.expireAfterMs;
  if (limit === null) return [];
  const found: Violation[] = [];
  const inactiveSince = new Map<string, { at: number; name: string }>();
  const idle = (id: string, until: number) => {
    const since = inactiveSince.get(id);
    if (since && until - since.at > limit) {
      found.push(violation('R9', null, `leak: session ${id} (${since.name}) stayed inactive from ${since.at} ms to ${until} ms and never expired (expiry after ${limit} ms)`, id));
    }
    inactiveSince.delete(id);
  };
  for (const session of observation.sessions) {
    if (session.state === 'inactive' && !session.isSystemSounds) inactiveSince.set(session.id, { at: 0, name: session.displayName });
  }
  for (const step of steps) {
    const { event, at } = step.timed;
    if (step.sessionId === undefined) continue;
    if (event.type === 'session-created') {
      if (event.session.state === 'inactive' && !event.session.isSystemSounds) inactiveSince.set(event.session.id, { at, name: event.session.displayName });
    } else if (event.type === 'state-changed' || event.type === 'disconnected') {
      idle(step.sessionId, at);
      const name = step.before?.record.displayName ?? step.sessionId;
      if (event.type === 'state-changed' && event.state === 'inactive' && !event.terminated && !step.before?.record.isSystemSounds) {
        inactiveSince.set(step.sessionId, { at, name });
      }
    }
  }
  for (const id of [...inactiveSince.keys()]) idle(id, observation.durationMs);
  return found;
};

/** R10: nothing follows termination (a new session-created with the id starts a new life); sessions end with their process. */
const nothingAfterTheEnd: Check = ({ steps, live, observation }) => {
  const found = steps.flatMap((step) => {
    if (!step.before?.ended || step.timed.event.type === 'session-created') return [];
    if (step.before.ended === 'disconnected' && step.timed.event.type === 'state-changed' && step.timed.event.terminated) return [];
    if (step.before.ended === 'disconnected' && step.timed.event.type === 'disconnected') return [];
    return [violation('R10', step, `${step.timed.event.type} after the session ${step.before.ended === 'terminated' ? 'terminated' : 'was disconnected'}`)];
  });
  const ended = new Set(observation.endedPids);
  for (const life of live.values()) {
    if (!life.record.crossProcess && ended.has(life.record.pid)) {
      found.push(violation('R10', null, `leak: session ${life.record.id} (${life.record.displayName}) never ended though its process ${life.record.pid} did`, life.record.id));
    }
  }
  return found;
};

/** R17: a client's name or icon comes before the session first plays, not after. */
const namedBeforePlaying: Check = ({ steps }) =>
  steps.flatMap((step) => {
    const { event } = step.timed;
    if (!step.before?.wasActive || step.before.ended) return [];
    if (event.type === 'display-name-changed' && event.displayNameSource === 'client') {
      return [violation('R17', step, `display name "${event.displayName}" set after the session started playing; set it when the first stream is assigned`)];
    }
    if (event.type === 'icon-changed' && event.iconPath !== '') {
      return [violation('R17', step, `icon "${event.iconPath}" set after the session started playing; set it when the first stream is assigned`)];
    }
    return [];
  });

const APP_DERIVED = new Set(['package', 'window-title', 'file-description', 'executable']);

const defaultNames: Check = ({ records, steps }) => {
  const found: Violation[] = [];
  for (const { record, step } of records) {
    if (record.displayName.trim() === '') found.push(violation('R18', step, `session ${record.id} has no display name`, record.id));
    if (record.crossProcess && APP_DERIVED.has(record.displayNameSource)) {
      found.push(violation('R18', step, `cross-process session ${record.id} is named after an app (${record.displayNameSource}); only its client can name it`, record.id));
    }
  }
  for (const step of steps) {
    const { event } = step.timed;
    if (event.type === 'display-name-changed' && event.displayName.trim() === '') found.push(violation('R18', step, 'display name changed to nothing'));
  }
  return found;
};

const systemSoundsLabel: Check = ({ records }) =>
  records.flatMap(({ record, step }) =>
    record.isSystemSounds && (record.displayNameSource !== 'system-sounds' || record.displayName.trim() === '')
      ? [violation('R19', step, `System Sounds session ${record.id} is labelled "${record.displayName}" (${record.displayNameSource})`, record.id)]
      : [],
  );

const announcedFirst: Check = ({ steps }) =>
  steps.flatMap((step) =>
    step.sessionId !== undefined && step.timed.event.type !== 'session-created' && !step.before
      ? [violation('R21', step, `${step.timed.event.type} for session ${step.sessionId}, which was never listed nor created`)]
      : [],
  );

const announcedOnce: Check = ({ steps }) =>
  steps.flatMap((step) =>
    step.timed.event.type === 'session-created' && step.before && !step.before.ended
      ? [violation('R22', step, `session ${step.sessionId} announced again while it ${step.before.announced ? 'was already known' : 'lived'}`)]
      : [],
  );

const duckPairs: Check = ({ steps }) =>
  steps.flatMap((step) => {
    const { event } = step.timed;
    if (event.type === 'unduck' && (step.before?.ducks ?? 0) === 0) return [violation('R23', step, 'unduck without a duck before it')];
    if (event.type === 'duck' && event.communicationSessions < 1) return [violation('R23', step, `duck with ${event.communicationSessions} communication sessions`)];
    return [];
  });

/**
 * R25: when a device goes, its sessions end: those still live at device-removed must end
 * after it; where Windows' model holds, the sessions that ended in the removal (the run
 * of endings just before device-removed) were disconnected with reason device-removed.
 */
const removedDeviceSessions =
  (needsDisconnect: boolean): Check =>
  ({ removals, endings, steps }) => {
    const found: Violation[] = [];
    const removedDevices = new Set(removals.map((removal) => removal.deviceId));
    for (const { step, deviceId, sessionIds } of removals) {
      for (const id of sessionIds) {
        const after = (endings.get(id) ?? []).filter((ending) => ending.step.number > step.number);
        if (after.length === 0) found.push(violation('R25', step, `session ${id} lives on after its device ${deviceId} was removed`, id));
        else if (needsDisconnect && !after.some(isRemovalDisconnect)) found.push(violation('R25', step, `session ${id} on removed device ${deviceId} was not disconnected with reason device-removed`, id));
      }
      if (!needsDisconnect) continue;
      for (let index = step.number - 2; index >= 0; index -= 1) {
        const earlier = steps[index] as ReplayStep;
        const { event } = earlier.timed;
        const ending = event.type === 'disconnected' || (event.type === 'state-changed' && event.terminated);
        if (!ending || earlier.before?.record.deviceId !== deviceId) break;
        const id = earlier.sessionId as string;
        if (!(endings.get(id) ?? []).some(isRemovalDisconnect)) {
          found.push(violation('R25', earlier, `session ${id} ended as its device ${deviceId} was removed, without being disconnected with reason device-removed`, id));
        }
      }
    }
    for (const step of steps) {
      const { event } = step.timed;
      if (event.type === 'disconnected' && event.reason === 'device-removed' && step.before && !removedDevices.has(step.before.record.deviceId)) {
        found.push(violation('R25', step, `disconnected for device-removed, but device ${step.before.record.deviceId} was never removed`));
      }
    }
    return found;
  };

function isRemovalDisconnect(ending: { how: 'terminated' | 'disconnected'; reason: DisconnectReason | null }): boolean {
  return ending.how === 'disconnected' && ending.reason === 'device-removed';
}

/** Every route a session had: its record's when it was listed or created, then each output-route-changed. */
function routesSeen({ records, steps }: Replay): { session: ObservedSession; route: OutputRoute | null; step: ReplayStep | null }[] {
  const seen = records.map(({ record, step }) => ({ session: record, route: record.outputRoute, step }));
  for (const step of steps) {
    const { event } = step.timed;
    if (event.type === 'output-route-changed' && step.before) seen.push({ session: step.before.record, route: event.outputRoute, step });
  }
  return seen;
}

/**
 * R26: a route is an app's: a session of no one app (cross-process, System Sounds) has none,
 * and an app pinned for a flow is pinned to a device of that flow (where the recording knows
 * the device: a kept endpoint may be unplugged). Where a route is read off the session's
 * device (pulse), a pinned session is on the device it is pinned to.
 */
const appRoutes =
  (pinnedIsOwnDevice: boolean): Check =>
  (replayed) =>
    routesSeen(replayed).flatMap(({ session, route, step }) => {
      if (route === null) return [];
      const where = `session ${session.id} (${session.displayName})`;
      if (session.crossProcess || session.isSystemSounds) {
        return [violation('R26', step, `${where} belongs to no one app, yet has an output route (${describeRoute(route)})`, session.id)];
      }
      if (route.kind === 'follows-default') return [];
      const flow = replayed.deviceFlows.get(route.deviceId);
      if (flow !== undefined && flow !== session.flow) {
        return [violation('R26', step, `${where} is ${session.flow}, but its app is pinned to ${flow} device ${route.deviceId}`, session.id)];
      }
      if (pinnedIsOwnDevice && route.deviceId !== session.deviceId) {
        return [violation('R26', step, `${where} is on ${session.deviceId}, but reads as pinned to ${route.deviceId}`, session.id)];
      }
      return [];
    });

function describeRoute(route: OutputRoute): string {
  return route.kind === 'pinned' ? `pinned to ${route.deviceId}` : route.kind;
}

/** Whether a change of the default came within SETTLE_MS of a step. */
const near = (step: ReplayStep, change: DefaultChange) => Math.abs(step.timed.at - change.step.timed.at) <= SETTLE_MS;

/**
 * R27, the pinned side: a default change moves no stream of an app pinned elsewhere. A move
 * shows as a pinned session ending (pinned as it was before the change, where it ended
 * after) and a session of the same process and flow starting on the new default, both
 * within SETTLE_MS of the change (either side: Windows may tell the move first); a session
 * whose device was removed moves for that reason (R25) and is left out. Where the route is the
 * app's (Windows), the new session still reads pinned to the old device, else the app was
 * sent there (R26); where it is read off the device (pulse), the new one follows the default
 * whatever moved it.
 */
const pinnedStay =
  (routeIsTheApps: boolean): Check =>
  ({ defaultChanges, endings, records, removals }) => {
    const found: Violation[] = [];
    const removed = new Set(removals.map((removal) => removal.deviceId));
    const reported = new Set<string>();
    for (const change of defaultChanges) {
      if (change.deviceId === null) continue;
      const target = change.deviceId;
      for (const [id, ends] of endings) {
        const ending = ends.find((end) => near(end.step, change));
        const atEnd = ending?.step.before?.record;
        if (!ending || !atEnd) continue;
        // Ended after the burst began: as it was before it (on pulse the route changes with the default).
        const session = ending.step.number > change.before.stepNumber ? (change.before.sessions.find((known) => known.id === id) ?? atEnd) : atEnd;
        const route = session.outputRoute;
        if (route?.kind !== 'pinned' || route.deviceId === target || session.deviceId === target) continue;
        if (session.flow !== change.flow || session.pid <= 0 || removed.has(session.deviceId)) continue;
        const moved = records.some(
          ({ record, step }) =>
            step !== null &&
            near(step, change) &&
            record.deviceId === target &&
            record.pid === session.pid &&
            record.flow === session.flow &&
            (!routeIsTheApps || (record.outputRoute?.kind === 'pinned' && record.outputRoute.deviceId === route.deviceId)),
        );
        const key = `${id}|${ending.step.number}`;
        if (!moved || reported.has(key)) continue;
        reported.add(key);
        found.push(
          violation('R27', ending.step, `session ${id} (${session.displayName}) on ${session.deviceId} moved to the new default ${target}, though its app is pinned to ${route.deviceId}`, id),
        );
      }
    }
    return found;
  };

/**
 * R27, the following side, where a route is read off the device (pulse: a session on its
 * flow's default follows it): SETTLE_MS after the default changed, no live session that
 * follows the default is on a device that is no longer a default of its flow.
 */
const followersMoved: Check = ({ defaultChanges }) =>
  defaultChanges.flatMap((change) =>
    (change.settled?.lives ?? []).flatMap(({ record }) =>
      record.flow === change.flow && record.outputRoute?.kind === 'follows-default' && !change.settled?.defaults.has(record.deviceId)
        ? [violation('R27', change.step, `session ${record.id} (${record.displayName}) follows the default, yet is still on ${record.deviceId} ${SETTLE_MS} ms after the ${change.flow} default moved to ${change.deviceId ?? 'none'}`, record.id)]
        : [],
    ),
  );

// ---- The tables ------------------------------------------------------------------------

const NOT_OBSERVABLE = {
  R7: 'streams are not visible in session events; the backends\' own tests pin it',
  R11: 'a rule on what the mixer shows, pinned by SndMix\'s UI tests',
  R12: 'a rule on what the mixer shows, pinned by SndMix\'s UI tests',
  R13: 'per-stream volumes are not visible in session events',
  R14: 'persistence shows only across restarts of SndMix, not within one recording',
  R15: 'persistence shows only across restarts of SndMix, not within one recording',
  R16: 'events do not say which app tried to change a session',
  R20: 'a rule on how the mixer groups strips, pinned by SndMix\'s UI tests',
  R24: 'API error codes are not visible in session events',
} as const satisfies Partial<Record<RuleId, string>>;

const notObservable = Object.fromEntries(
  Object.entries(NOT_OBSERVABLE).map(([rule, reason]) => [rule, { notObservable: reason }]),
) as Record<keyof typeof NOT_OBSERVABLE, RuleEntry>;

/** Windows Core Audio, and the sim that models it. */
const WINDOWS_RULES: Record<RuleId, RuleEntry> = {
  ...notObservable,
  R1: { check: identityCheck('R1') },
  R2: { check: identityCheck('R2') },
  R3: { check: identityCheck('R3') },
  R4: { check: identityCheck('R4') },
  R5: { notObservable: 'events do not say whether a stream asked for a session GUID' },
  R6: { check: instanceIdentifiers },
  R8: { check: oneFlow(false) },
  R9: { check: (replayed) => [...stateTransitions(true)(replayed), ...expiresWhenIdle(replayed)] },
  R10: { check: nothingAfterTheEnd },
  R17: { check: namedBeforePlaying },
  R18: { check: defaultNames },
  R19: { check: systemSoundsLabel },
  R21: { check: announcedFirst },
  R22: { check: announcedOnce },
  R23: { check: duckPairs },
  R25: { check: removedDeviceSessions(true) },
  R26: {
    check: appRoutes(false),
    undecided:
      'whether the app\'s streams went to its own device: a stream opened on a named device stays where it was, and events do not say which streams named one',
  },
  R27: {
    check: pinnedStay(true),
    undecided:
      'whether the streams that follow the default moved with it: a session\'s route is its app\'s, and a stream the app opened on a named device stays, which events do not show; checked: a pinned app does not move',
  },
};

/** PulseAudio and PipeWire's pulse server, as pulse/session-model.ts maps them onto sessions. */
const PULSE_RULES: Record<RuleId, RuleEntry> = {
  ...WINDOWS_RULES,
  R3: { notApplicable: 'PulseAudio has no cross-process sessions' },
  R5: { check: everySessionIsDefault },
  R8: { check: oneFlow(true) },
  R9: { check: stateTransitions(false) },
  R17: { notApplicable: 'PulseAudio takes names and icons from stream and client properties that exist when the stream is created; there is no later call to make too late' },
  R19: { notApplicable: 'PulseAudio has no System Sounds session (event sounds are ordinary streams)' },
  R23: { notApplicable: 'PulseAudio exposes no ducking notifications to clients' },
  R25: { check: removedDeviceSessions(false) },
  R26: { check: appRoutes(true) },
  R27: {
    check: (replayed) => [...pinnedStay(false)(replayed), ...followersMoved(replayed)],
    undecided: 'a stream pinned to the device that is the default reads as following it, and stays when the default moves: the recording shows it pinned from then on',
  },
};

export const RULES_BY_BACKEND: Record<BackendName, Record<RuleId, RuleEntry>> = {
  sim: WINDOWS_RULES,
  coreaudio: WINDOWS_RULES,
  pulse: PULSE_RULES,
};

/** Every rule's verdict for the observation, R1..R27 in order. */
export function checkRules(observation: Observation): RuleVerdict[] {
  const table = RULES_BY_BACKEND[observation.backend];
  const replayed = replay(observation);
  return RULE_IDS.map((rule): RuleVerdict => {
    const entry = table[rule];
    const title = RULE_TITLES[rule];
    if ('notApplicable' in entry) return { rule, title, status: 'not-applicable', reason: entry.notApplicable };
    if ('notObservable' in entry) return { rule, title, status: 'not-observable', reason: entry.notObservable };
    const violations = entry.check(replayed).filter((found) => found.rule === rule);
    const undecided = entry.undecided === undefined ? {} : { undecided: entry.undecided };
    return violations.length === 0 ? { rule, title, status: 'passed', ...undecided } : { rule, title, status: 'failed', violations, ...undecided };
  });
}

export function rulesPassed(verdicts: readonly RuleVerdict[]): boolean {
  return verdicts.every((verdict) => verdict.status !== 'failed');
}

/** The verdicts of several observations of one backend as one: a rule fails if it failed in any, its violations labelled. */
export function mergeVerdicts(labelled: Record<string, readonly RuleVerdict[]>): RuleVerdict[] {
  const lists = Object.entries(labelled);
  const [first] = lists;
  if (!first) return [];
  return first[1].map((verdict, index) => {
    const violations = lists.flatMap(([label, verdicts]) => {
      const other = verdicts[index];
      return other?.status === 'failed' ? other.violations.map((found) => ({ ...found, message: `${label}: ${found.message}` })) : [];
    });
    return violations.length > 0 ? { rule: verdict.rule, title: verdict.title, status: 'failed', violations } : verdict;
  });
}
