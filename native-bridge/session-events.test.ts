import { describe, expect, it } from 'vitest';
import type { KnownRecords } from './session-events';
import {
  applyEvent,
  changedSessionFields,
  deriveSessionEvents,
  fieldsChangedBy,
  newSessionRecord,
  SESSION_FIELD_CHANGED_BY,
  sessionEventValues,
} from './session-events';
import type { DeviceRecord, SessionRecord } from './types';

const IDENTITY = {
  id: 's1',
  sessionGuid: '{00000000-0000-0000-0000-000000000000}',
  crossProcess: false,
  pid: 42,
  processName: 'player',
  deviceId: 'dev-a',
  flow: 'render',
  isSystemSounds: false,
  sessionIdentifier: 'ident',
  sessionInstanceIdentifier: 'ident|42',
} as const;

/** A session whose every changeable field differs from a new one's. */
const CHANGED: Partial<SessionRecord> = {
  state: 'active',
  displayName: 'Player',
  displayNameSource: 'window-title',
  iconPath: 'player.ico',
  icon: 'data:image/png;base64,AA',
  volume: 0.5,
  muted: true,
  channelVolumes: [0.5, 0.25],
  groupingParam: '{11111111-0000-0000-0000-000000000000}',
  disconnected: 'device-removed',
  mediaTitles: ['Blue in Green'],
  streamCount: 2,
  outputRoute: { kind: 'pinned', deviceId: 'dev-b' },
};

function known(sessions: SessionRecord[], devices: DeviceRecord[] = []): KnownRecords {
  return { sessions: new Map(sessions.map((s) => [s.id, s])), devices: new Map(devices.map((d) => [d.id, d])) };
}

function speaker(id: string, defaultFor: DeviceRecord['defaultFor']): DeviceRecord {
  return { id, name: id, flow: 'render', state: 'active', defaultFor, volume: 1, muted: false };
}

describe('the event vocabulary', () => {
  it('gives every changeable field of a new record a value an event can change', () => {
    const fresh = newSessionRecord(IDENTITY);
    expect(Object.keys(fresh).sort()).toEqual(Object.keys(SESSION_FIELD_CHANGED_BY).sort());
    // Only identity fields are left to the backend; a test's CHANGED touches all the others.
    const changeable = Object.entries(SESSION_FIELD_CHANGED_BY).filter(([, by]) => by !== 'identity').map(([field]) => field);
    expect(Object.keys(CHANGED).sort()).toEqual(changeable.sort());
  });

  it('derives from two snapshots the events that, applied, turn the first into the second', () => {
    const before = newSessionRecord(IDENTITY);
    const after = newSessionRecord({ ...IDENTITY, ...CHANGED });
    const events = deriveSessionEvents(before, after, '{ctx}');
    // One event per event type that changes fields, the new state last.
    expect(events.map((event) => event.type)).toEqual([
      'display-name-changed',
      'icon-changed',
      'volume-changed',
      'channel-volume-changed',
      'grouping-changed',
      'streams-changed',
      'output-route-changed',
      'disconnected',
      'state-changed',
    ]);
    const records = known([before]);
    for (const event of events) applyEvent(records, event);
    expect(records.sessions.get('s1')).toEqual(after);
  });

  it('says each event changes exactly the fields its table entry names', () => {
    const before = newSessionRecord(IDENTITY);
    for (const event of deriveSessionEvents(before, newSessionRecord({ ...IDENTITY, ...CHANGED }), '{ctx}')) {
      expect(Object.keys(sessionEventValues(event))).toEqual(fieldsChangedBy(event.type));
    }
  });

  it('derives nothing from equal snapshots, and gives their level events the context', () => {
    const record = newSessionRecord({ ...IDENTITY, ...CHANGED });
    expect(deriveSessionEvents(record, { ...record, channelVolumes: [...record.channelVolumes] }, '{ctx}')).toEqual([]);
    expect(deriveSessionEvents(record, { ...record, channelVolumes: [0.5, 0.75] }, '{ctx}')).toEqual([
      { type: 'channel-volume-changed', sessionId: 's1', channelVolumes: [0.5, 0.75], changedChannel: 1, eventContext: '{ctx}' },
    ]);
  });

  it('never derives a reconnection: a disconnected session comes back as a new one', () => {
    const gone = newSessionRecord({ ...IDENTITY, disconnected: 'server-shutdown' });
    expect(deriveSessionEvents(gone, { ...gone, disconnected: null }, '{ctx}')).toEqual([]);
  });

  it('says what applying changed: only fields that moved, nothing for a repeat', () => {
    const records = known([newSessionRecord({ ...IDENTITY, volume: 0.5 })]);
    const event = { type: 'volume-changed', sessionId: 's1', volume: 0.5, muted: true, eventContext: '{ctx}' } as const;
    expect(applyEvent(records, event)).toEqual([{ kind: 'session-changed', id: 's1', changes: { muted: true } }]);
    expect(applyEvent(records, event)).toEqual([]);
    expect(applyEvent(records, { ...event, sessionId: 'unknown' })).toEqual([]);
  });

  it('removes a terminated session, and keeps an expired one', () => {
    const records = known([newSessionRecord(IDENTITY), newSessionRecord({ ...IDENTITY, id: 's2' })]);
    applyEvent(records, { type: 'state-changed', sessionId: 's1', state: 'expired', terminated: false });
    expect(applyEvent(records, { type: 'state-changed', sessionId: 's2', state: 'expired', terminated: true })).toEqual([
      { kind: 'session-removed', id: 's2' },
    ]);
    expect([...records.sessions.values()].map((s) => [s.id, s.state])).toEqual([['s1', 'expired']]);
  });

  it('moves a default role between the devices of its flow', () => {
    const records = known([], [speaker('dev-a', ['console', 'multimedia']), speaker('dev-b', [])]);
    const changes = applyEvent(records, { type: 'default-device-changed', flow: 'render', role: 'multimedia', deviceId: 'dev-b' });
    expect(changes.map((change) => change.kind)).toEqual(['device-upserted', 'device-upserted']);
    expect([...records.devices.values()].map((d) => [d.id, d.defaultFor])).toEqual([
      ['dev-a', ['console']],
      ['dev-b', ['multimedia']],
    ]);
    // A device-changed that says what is known already changes nothing.
    expect(applyEvent(records, { type: 'device-changed', device: speaker('dev-b', ['multimedia']) })).toEqual([]);
  });

  it('lists the fields two records differ in, the id never', () => {
    const record = newSessionRecord(IDENTITY);
    expect(changedSessionFields(record, { ...record })).toBeNull();
    expect(changedSessionFields(record, { ...record, id: 'other', mediaTitles: ['x'] })).toEqual({ mediaTitles: ['x'] });
  });
});
