import { describe, expect, it } from 'vitest';
import { session } from './testing/fake-backend';
import { ChangeTracker, DUCK_WINDOW_MS, mintEventContext, originOfContext, SAME_CHANGE_MS, SELF_CHANGE_WINDOW_MS, sndmixKindOf } from './change-origin';

const GUID_NULL = '{00000000-0000-0000-0000-000000000000}';

describe('event contexts', () => {
  it('mints a distinct GUID per client whose kind any SndMix process can read', () => {
    const a = mintEventContext('web');
    const b = mintEventContext('web');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\{534e444d-0003-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\}$/);
    expect(sndmixKindOf(a)).toBe('web');
    expect(sndmixKindOf(mintEventContext('cli').toUpperCase())).toBe('cli');
    expect(sndmixKindOf('{534e444d-0009-4000-8000-000000000000}')).toBeNull();
  });

  it('reads foreign contexts as the app (GUID_NULL) or another program, or as outside where the platform cannot tell', () => {
    expect(originOfContext(mintEventContext('mixer'), false)).toBe('mixer');
    expect(originOfContext(GUID_NULL, true)).toBe('app');
    expect(originOfContext('{8f2e0d4a-1111-2222-3333-444455556666}', true)).toBe('other-program');
    expect(originOfContext('external', false)).toBe('outside');
  });
});

describe('ChangeTracker', () => {
  function tracker() {
    let now = 1_000_000;
    const changes = new ChangeTracker(true, () => now);
    return { changes, advance: (ms: number) => (now += ms) };
  }

  it('keeps the origin, time and values before the last change; equal levels are no change', () => {
    const { changes } = tracker();
    const before = session({ volume: 0.5 });
    expect(changes.record(before, session({ volume: 0.5 }), GUID_NULL)).toBe(false);
    expect(changes.record(before, session({ volume: 0.2 }), GUID_NULL)).toBe(true);
    expect(changes.lastChange('s-player')).toEqual({ origin: 'app', time: 1_000_000, previous: { volume: 0.5, muted: false, channelVolumes: [1, 1] } });
  });

  it('joins changes of one origin in quick succession, so undo goes back before the first', () => {
    const { changes, advance } = tracker();
    changes.record(session({ volume: 0.9 }), session({ volume: 0.5 }), GUID_NULL);
    advance(SAME_CHANGE_MS - 1);
    changes.record(session({ volume: 0.5 }), session({ volume: 0.2 }), GUID_NULL);
    expect(changes.lastChange('s-player')?.previous.volume).toBe(0.9);
    advance(SAME_CHANGE_MS + 1);
    changes.record(session({ volume: 0.2 }), session({ volume: 0.1 }), GUID_NULL);
    expect(changes.lastChange('s-player')?.previous.volume).toBe(0.2);
  });

  it('calls a foreign change right after its device ducked "ducking"', () => {
    const { changes, advance } = tracker();
    changes.noteDucking('dev-speakers');
    advance(DUCK_WINDOW_MS - 1);
    changes.record(session({ volume: 1 }), session({ volume: 0.2 }), GUID_NULL);
    expect(changes.lastChange('s-player')?.origin).toBe('ducking');
    advance(DUCK_WINDOW_MS + SAME_CHANGE_MS);
    changes.record(session({ volume: 0.2 }), session({ volume: 1 }), GUID_NULL);
    expect(changes.lastChange('s-player')?.origin).toBe('app');
  });

  it('flags an app that changed itself three times within a minute, and lets the flag lapse', () => {
    const { changes, advance } = tracker();
    for (const volume of [0.9, 0.8, 0.7]) {
      changes.record(session({ volume: volume + 0.05 }), session({ volume }), GUID_NULL);
      advance(SAME_CHANGE_MS + 1);
    }
    expect(changes.noteOf(session()).changesItself).toBe(true);
    expect(changes.noteOf(session()).appKey).toBe('render|exe:player.exe');
    advance(SELF_CHANGE_WINDOW_MS);
    expect(changes.noteOf(session()).changesItself).toBe(false);
  });

  it('does not count other programs\' changes as the app\'s own', () => {
    const { changes, advance } = tracker();
    for (const volume of [0.9, 0.8, 0.7, 0.6]) {
      changes.record(session({ volume: volume + 0.05 }), session({ volume }), '{8f2e0d4a-1111-2222-3333-444455556666}');
      advance(SAME_CHANGE_MS + 1);
    }
    expect(changes.noteOf(session()).changesItself).toBe(false);
  });
});
