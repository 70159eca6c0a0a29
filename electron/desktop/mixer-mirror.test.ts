import { describe, expect, it } from 'vitest';
import { device, session } from '../../core/testing/fake-backend';
import { PROTOCOL_VERSION } from '../../core/contract';
import { MixerMirror } from './mixer-mirror';

const backend = { name: 'sim' as const, capabilities: {} as never, notice: null, disconnected: null };
/** The engine host's own part of a snapshot, empty. */
const hostState = { notes: {}, preferences: { apps: {}, devices: {} }, profiles: { profiles: [], problems: [] }, recentlyHeard: [] };

describe("the main process's mirror of the mixer", () => {
  it('takes a snapshot, then patches, and tells its listeners (the tray) each time', () => {
    const mirror = new MixerMirror();
    let changes = 0;
    mirror.onChange(() => (changes += 1));
    mirror.apply({ type: 'snapshot', protocol: PROTOCOL_VERSION, backend, ...hostState, devices: [device({ id: 'spk', volume: 0.5 })], sessions: [session({ id: 'a' })] });
    mirror.apply({
      type: 'patch',
      devices: { upserted: [device({ id: 'spk', volume: 0.3 })], removed: [] },
      sessions: { added: [session({ id: 'b' })], changed: [{ id: 'a', changes: { muted: true } }], removed: [] },
    });
    expect(mirror.devices.get('spk')?.volume).toBe(0.3);
    expect(mirror.sessions.get('a')?.muted).toBe(true);
    expect([...mirror.sessions.keys()]).toEqual(['a', 'b']);
    expect(changes).toBe(2);
  });

  it('a new snapshot (after the backend process restarted) replaces everything; peaks change nothing', () => {
    const mirror = new MixerMirror();
    mirror.apply({ type: 'snapshot', protocol: PROTOCOL_VERSION, backend, ...hostState, devices: [device({ id: 'old' })], sessions: [session({ id: 'a' })] });
    mirror.apply({ type: 'snapshot', protocol: PROTOCOL_VERSION, backend, ...hostState, devices: [device({ id: 'new' })], sessions: [] });
    let changes = 0;
    mirror.onChange(() => (changes += 1));
    mirror.apply({ type: 'peaks', peaks: {} });
    expect([...mirror.devices.keys()]).toEqual(['new']);
    expect(mirror.sessions.size).toBe(0);
    expect(changes).toBe(0);
  });
});
