import { describe, expect, it } from 'vitest';
import { device, session } from '../../core/testing/fake-backend';
import { PROTOCOL_VERSION } from '../../core/contract';
import { IconTableWriter } from '../../core/icon-table';
import { MixerMirror } from './mixer-mirror';

const backend = { name: 'sim' as const, capabilities: {} as never, notice: null, disconnected: null };
/** The engine host's own part of a snapshot, empty. */
const hostState = { notes: {}, preferences: { apps: {}, devices: {} }, profiles: { profiles: [], problems: [] }, recentlyHeard: [] };

describe("the main process's mirror of the mixer", () => {
  it('takes a snapshot, then patches, and tells its listeners (the tray) each time', () => {
    const mirror = new MixerMirror();
    const host = new IconTableWriter();
    let changes = 0;
    mirror.onChange(() => (changes += 1));
    mirror.apply(host.encode({ type: 'snapshot', protocol: PROTOCOL_VERSION, backend, ...hostState, devices: [device({ id: 'spk', volume: 0.5 })], sessions: [session({ id: 'a', icon: 'data:a' })] }));
    mirror.apply(host.encode({
      type: 'patch',
      devices: { upserted: [device({ id: 'spk', volume: 0.3 })], removed: [] },
      sessions: { added: [session({ id: 'b', icon: 'data:a' })], changed: [{ id: 'a', changes: { muted: true } }], removed: [] },
    }));
    expect(mirror.devices.get('spk')?.volume).toBe(0.3);
    expect(mirror.sessions.get('b')?.icon).toBe('data:a');
    expect(mirror.sessions.get('a')?.muted).toBe(true);
    expect([...mirror.sessions.keys()]).toEqual(['a', 'b']);
    expect(changes).toBe(2);
  });

  it('a new snapshot (after the backend process restarted) replaces everything; peaks change nothing', () => {
    const mirror = new MixerMirror();
    mirror.apply(new IconTableWriter().encode({ type: 'snapshot', protocol: PROTOCOL_VERSION, backend, ...hostState, devices: [device({ id: 'old' })], sessions: [session({ id: 'a' })] }));
    mirror.apply(new IconTableWriter().encode({ type: 'snapshot', protocol: PROTOCOL_VERSION, backend, ...hostState, devices: [device({ id: 'new' })], sessions: [] }));
    let changes = 0;
    mirror.onChange(() => (changes += 1));
    mirror.apply({ type: 'peaks', peaks: {} });
    expect([...mirror.devices.keys()]).toEqual(['new']);
    expect(mirror.sessions.size).toBe(0);
    expect(changes).toBe(0);
  });

  it('words an icon it was never sent and keeps the rest of the message', () => {
    const problems: string[] = [];
    const mirror = new MixerMirror((problem) => problems.push(problem));
    const { icon: _icon, ...rest } = session({ id: 'a' });
    mirror.apply({ type: 'snapshot', protocol: PROTOCOL_VERSION, backend, ...hostState, devices: [], sessions: [{ ...rest, iconKey: 7 }], icons: {} });
    expect(mirror.sessions.get('a')?.icon).toBeNull();
    expect(problems).toEqual(['session a refers to icon 7, which this client was never sent: shown without it']);
  });
});
