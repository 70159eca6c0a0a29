import { describe, expect, it } from 'vitest';
import type { ResolvedMessage, ServerMessage } from './contract';
import { PROTOCOL_VERSION } from './contract';
import { IconTableReader, IconTableWriter } from './icon-table';
import { session } from './testing/fake-backend';

type Snapshot = Extract<ResolvedMessage, { type: 'snapshot' }>;
type Patch = Extract<ResolvedMessage, { type: 'patch' }>;
type WirePatch = Extract<ServerMessage, { type: 'patch' }>;

const FIREFOX = 'data:image/svg+xml,firefox';
const MPV = 'data:image/svg+xml,mpv';
const backend = { name: 'sim' as const, capabilities: {} as never, notice: null, disconnected: null };
const hostState = { notes: {}, preferences: { apps: {}, devices: {} }, profiles: { profiles: [], problems: [] }, recentlyHeard: [] };

function snapshot(...sessions: Snapshot['sessions']): Snapshot {
  return { type: 'snapshot', protocol: PROTOCOL_VERSION, backend, devices: [], sessions, ...hostState };
}

function patch(sessions: Partial<Patch['sessions']>): Patch {
  return { type: 'patch', devices: { upserted: [], removed: [] }, sessions: { added: [], changed: [], removed: [], ...sessions } };
}

/** What the writer sends, checked to have come back whole through a reader. */
function roundTrip(writer: IconTableWriter, reader: IconTableReader, message: ResolvedMessage) {
  const wire = writer.encode(message);
  const resolved = reader.resolve(JSON.parse(JSON.stringify(wire)) as ServerMessage);
  expect(resolved.problems).toEqual([]);
  expect(resolved.message).toEqual(message);
  return wire;
}

describe('the icon table', () => {
  it('sends an icon once: sessions that share it refer to one key, and a later patch sends no icon the client has', () => {
    const writer = new IconTableWriter();
    const reader = new IconTableReader();
    const sent = roundTrip(writer, reader, snapshot(session({ id: 'a', icon: FIREFOX }), session({ id: 'b', icon: FIREFOX }), session({ id: 'c', icon: null })));
    expect(sent).toMatchObject({ icons: { 0: FIREFOX }, sessions: [{ id: 'a', iconKey: 0 }, { id: 'b', iconKey: 0 }, { id: 'c', iconKey: null }] });
    expect(JSON.stringify(sent)).not.toContain('"icon":');

    const again = roundTrip(writer, reader, patch({ added: [session({ id: 'd', icon: FIREFOX })] })) as WirePatch;
    expect(again.icons).toBeUndefined();
    expect(again.sessions.added[0]?.iconKey).toBe(0);
  });

  it('a patch carries just the new icons, for added sessions and for changed icons alike', () => {
    const writer = new IconTableWriter();
    const reader = new IconTableReader();
    roundTrip(writer, reader, snapshot(session({ id: 'a', icon: FIREFOX })));
    const sent = roundTrip(writer, reader, patch({ changed: [{ id: 'a', changes: { icon: MPV, iconPath: 'mpv' } }, { id: 'b', changes: { icon: null } }] }));
    expect(sent).toMatchObject({ icons: { 1: MPV }, sessions: { changed: [{ id: 'a', changes: { iconKey: 1, iconPath: 'mpv' } }, { id: 'b', changes: { iconKey: null } }] } });
    roundTrip(writer, reader, patch({ changed: [{ id: 'a', changes: { volume: 0.5 } }] }));
  });

  it('a resync starts a fresh table on both sides: the snapshot holds every icon again, under new keys', () => {
    const writer = new IconTableWriter();
    const reader = new IconTableReader();
    roundTrip(writer, reader, snapshot(session({ id: 'a', icon: FIREFOX })));
    roundTrip(writer, reader, patch({ added: [session({ id: 'b', icon: MPV })] }));
    // The client fell behind (its patches were dropped) and is sent a snapshot: nothing earlier counts.
    const fresh = roundTrip(writer, reader, snapshot(session({ id: 'b', icon: MPV })));
    expect(fresh).toMatchObject({ icons: { 0: MPV }, sessions: [{ id: 'b', iconKey: 0 }] });
    // A reader that starts at that snapshot (a reconnected page) needs nothing sent before it.
    const reconnected = new IconTableReader().resolve(fresh);
    expect(reconnected.problems).toEqual([]);
    // Keys of the old table are gone after the resync.
    const stale = reader.resolve({ type: 'patch', devices: { upserted: [], removed: [] }, sessions: { added: [], changed: [{ id: 'b', changes: { iconKey: 1 } }], removed: [] } });
    expect(stale.problems).toEqual(['session b refers to icon 1, which this client was never sent: shown without it']);
  });

  it('an unknown key is a problem it words, the session shown without an icon and the rest of the message kept', () => {
    const { icon: _icon, ...rest } = session({ id: 'a', volume: 0.3 });
    const { message, problems } = new IconTableReader().resolve({ ...snapshot(), sessions: [{ ...rest, iconKey: 4 }], icons: {} });
    expect(problems).toEqual(['session a refers to icon 4, which this client was never sent: shown without it']);
    expect(message).toMatchObject({ type: 'snapshot', sessions: [{ id: 'a', volume: 0.3, icon: null }] });
  });

  it('malformed icon entries from another process are problems, never a throw', () => {
    const reader = new IconTableReader();
    const bad = (icons: unknown) => reader.resolve({ ...snapshot(), sessions: [], icons } as ServerMessage).problems;
    expect(bad(null)).toEqual(['the icon table is not an object of icons by key']);
    expect(bad(['data:x'])).toEqual(['the icon table is not an object of icons by key']);
    expect(bad({ '-1': 'data:x', '1.5': 'data:y', x: 'data:z', '01': 'data:w' })).toEqual([
      'icon key "-1" is not a whole number',
      'icon key "1.5" is not a whole number',
      'icon key "x" is not a whole number',
      'icon key "01" is not a whole number',
    ]);
    expect(bad({ 0: 42 })).toEqual(['icon 0 is not a string']);
  });

  it('peaks and events pass as they are', () => {
    const peaks: ServerMessage = { type: 'peaks', peaks: { a: 3 } };
    expect(new IconTableReader().resolve(peaks)).toEqual({ message: peaks, problems: [] });
    expect(new IconTableWriter().encode(peaks)).toBe(peaks);
  });
});
