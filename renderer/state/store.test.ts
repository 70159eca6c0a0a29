import { describe, expect, it } from 'vitest';
import { HEADPHONES, SPEAKERS, device, patch, session, snapshot } from '../testing/fixtures';
import { createI18n, translator } from '../i18n/i18n';
import { createMixerStore } from './store';

function loadedStore() {
  const store = createMixerStore();
  store.getState().applyMessage(snapshot());
  return store;
}

describe('mixer store', () => {
  it('replaces everything with a snapshot, keeping the backend order', () => {
    const store = loadedStore();
    store.getState().applyMessage(snapshot({ sessions: [session('b'), session('a')], devices: [device(SPEAKERS)] }));
    const state = store.getState();
    expect(state.backend?.name).toBe('sim');
    expect([...state.sessions.keys()]).toEqual(['b', 'a']);
    expect([...state.devices.keys()]).toEqual([SPEAKERS]);
  });

  it('applies added, changed and removed sessions from a patch', () => {
    const store = loadedStore();
    store.getState().applyMessage(
      patch({
        added: [session('vlc', { displayName: 'VLC' })],
        changed: [{ id: 'firefox', changes: { volume: 0.2, muted: true } }],
        removed: ['spotify'],
      }),
    );
    const { sessions } = store.getState();
    expect([...sessions.keys()]).toEqual(['firefox', 'vlc']);
    expect(sessions.get('firefox')).toMatchObject({ id: 'firefox', displayName: 'Firefox', volume: 0.2, muted: true });
    expect(sessions.get('vlc')?.displayName).toBe('VLC');
  });

  it('keeps unchanged sessions as the same objects, so their strips do not re-render', () => {
    const store = loadedStore();
    const spotifyBefore = store.getState().sessions.get('spotify');
    store.getState().applyMessage(patch({ changed: [{ id: 'firefox', changes: { volume: 0.1 } }] }));
    expect(store.getState().sessions.get('spotify')).toBe(spotifyBefore);
  });

  it('ignores a change for a session it never saw instead of inventing one', () => {
    const store = loadedStore();
    store.getState().applyMessage(patch({ changed: [{ id: 'ghost', changes: { volume: 1 } }] }));
    expect(store.getState().sessions.has('ghost')).toBe(false);
    expect(store.getState().sessions.size).toBe(2);
  });

  it('upserts and removes devices', () => {
    const store = loadedStore();
    store
      .getState()
      .applyMessage(
        patch(
          {},
          {
            upserted: [device(SPEAKERS, { name: 'Speakers', volume: 0.1 }), device('usb', { name: 'USB' })],
            removed: [HEADPHONES],
          },
        ),
      );
    const { devices } = store.getState();
    expect(devices.get(SPEAKERS)?.volume).toBe(0.1);
    expect(devices.get('usb')?.name).toBe('USB');
    expect(devices.has(HEADPHONES)).toBe(false);
  });

  it('takes profiles and the recently heard list from a snapshot, and each from a patch only when it carries it', () => {
    const heard = { sessionId: 'firefox', appKey: 'render|exe:firefox', displayName: 'Firefox', deviceId: SPEAKERS, time: 1000 };
    const evening = { name: 'Evening', savedAt: 5, apps: {} };
    const store = createMixerStore();
    store.getState().applyMessage(snapshot({ recentlyHeard: [heard], profiles: { profiles: [evening], problems: ['bad one'] } }));
    expect(store.getState().recentlyHeard).toEqual([heard]);
    expect(store.getState().profiles.problems).toEqual(['bad one']);
    const profilesBefore = store.getState().profiles;
    store.getState().applyMessage({ ...patch(), recentlyHeard: [] });
    expect(store.getState().recentlyHeard).toEqual([]);
    expect(store.getState().profiles).toBe(profilesBefore);
    store.getState().applyMessage({ ...patch(), profiles: { profiles: [], problems: [] } });
    expect(store.getState().profiles.profiles).toEqual([]);
  });

  it('leaves the sessions map untouched by a devices-only patch', () => {
    const store = loadedStore();
    const sessionsBefore = store.getState().sessions;
    store.getState().applyMessage(patch({}, { upserted: [device(SPEAKERS, { volume: 0.3 })] }));
    expect(store.getState().sessions).toBe(sessionsBefore);
  });

  it('leaves peaks to the meters: a peaks message changes no state', () => {
    const store = loadedStore();
    const before = store.getState();
    store.getState().applyMessage({ type: 'peaks', peaks: { firefox: 40, spotify: 90 } });
    expect(store.getState()).toBe(before);
  });

  it('reports a protocol mismatch visibly', () => {
    const store = createMixerStore();
    store.getState().applyMessage(snapshot({ protocol: 99 }));
    expect(store.getState().errors.map((notice) => notice.message)).toEqual([expect.stringContaining('protocol 99')]);
  });

  it('words the protocol mismatch in the language it is given', () => {
    const store = createMixerStore({}, translator(createI18n('de')));
    store.getState().applyMessage(snapshot({ protocol: 99 }));
    expect(store.getState().errors.map((notice) => notice.message)).toEqual([expect.stringMatching(/^Der Server spricht Protokoll 99,/)]);
  });

  it('keeps only the latest few errors and dismisses by id', () => {
    const store = createMixerStore();
    for (let index = 1; index <= 6; index += 1) store.getState().reportError(`failure ${index}`);
    const { errors } = store.getState();
    expect(errors.map((notice) => notice.message)).toEqual(['failure 3', 'failure 4', 'failure 5', 'failure 6']);
    const [oldest] = errors;
    if (!oldest) throw new Error('expected errors');
    store.getState().dismissError(oldest.id);
    expect(store.getState().errors).toHaveLength(3);
  });
});
