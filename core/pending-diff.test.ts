import { describe, expect, it } from 'vitest';
import { PendingDiff } from './pending-diff';
import { device, session } from './testing/fake-backend';

describe('PendingDiff', () => {
  it('gives no patch for a window where nothing changed, and starts over after each take', () => {
    const pending = new PendingDiff();
    expect(pending.take()).toBeNull();
    pending.change('s-player', { volume: 0.5 });
    expect(pending.take()?.sessions.changed).toEqual([{ id: 's-player', changes: { volume: 0.5 } }]);
    expect(pending.take()).toBeNull();
  });

  it('sends a session added and changed within one window once, as added with its latest fields', () => {
    const pending = new PendingDiff();
    pending.record([{ kind: 'session-added', session: session({ volume: 1 }) }]);
    pending.record([{ kind: 'session-changed', id: 's-player', changes: { volume: 0.3 } }]);
    const patch = pending.take();
    expect(patch?.sessions.added).toEqual([session({ volume: 0.3 })]);
    expect(patch?.sessions.changed).toEqual([]);
  });

  it('folds changes to one session into one entry, later fields winning', () => {
    const pending = new PendingDiff();
    pending.change('s-player', { volume: 0.5, muted: true });
    pending.change('s-player', { volume: 0.2 });
    expect(pending.take()?.sessions.changed).toEqual([{ id: 's-player', changes: { volume: 0.2, muted: true } }]);
  });

  it('never sends a session born and gone within one window, and sends one gone and back as added', () => {
    const pending = new PendingDiff();
    pending.add(session({ id: 's-brief' }));
    pending.remove('s-brief');
    expect(pending.take()).toBeNull();
    pending.remove('s-player');
    pending.add(session());
    const patch = pending.take();
    expect(patch?.sessions.removed).toEqual([]);
    expect(patch?.sessions.added.map((added) => added.id)).toEqual(['s-player']);
  });

  it('sends the last of a device upserted and removed within one window', () => {
    const pending = new PendingDiff();
    pending.upsertDevice(device());
    pending.removeDevice('dev-speakers');
    expect(pending.take()?.devices).toEqual({ upserted: [], removed: ['dev-speakers'] });
    pending.removeDevice('dev-speakers');
    pending.upsertDevice(device());
    expect(pending.take()?.devices).toEqual({ upserted: [device()], removed: [] });
  });
});
