import { describe, expect, it } from 'vitest';
import { mixerStrips } from '../../core/mixer-view';
import { HEADPHONES, MICROPHONE, SPEAKERS, device, patch, session, snapshot } from '../testing/fixtures';
import { selectShownDeviceId, selectStrip, selectStrips, selectVisibleStripKeys } from './selectors';
import { createMixerStore } from './store';

const GROUP = '{11111111-2222-3333-4444-555555555555}';

describe('selectStrips', () => {
  it('derives strips with mixerStrips: System Sounds first, grouped sessions merged, expired hidden', () => {
    const store = createMixerStore();
    store.getState().applyMessage(
      snapshot({
        sessions: [
          session('chrome-1', { displayName: 'Chrome', groupingParam: GROUP }),
          session('old', { state: 'expired' }),
          session('system', { displayName: 'System Sounds', isSystemSounds: true, pid: 0 }),
          session('chrome-2', { displayName: 'Chrome', groupingParam: GROUP, pid: 1001 }),
        ],
      }),
    );
    const strips = selectStrips(store.getState(), SPEAKERS, 'render');
    expect(strips.map((strip) => strip.displayName)).toEqual(['System Sounds', 'Chrome']);
    expect(strips[1]?.sessionIds).toEqual(['chrome-1', 'chrome-2']);
  });

  it('derives after any patch exactly what a full derivation gives, re-deriving only changed strips for value changes', () => {
    const store = createMixerStore();
    store.getState().applyMessage(
      snapshot({
        sessions: [
          session('chrome-1', { displayName: 'Chrome', groupingParam: GROUP, state: 'inactive' }),
          session('chrome-2', { displayName: 'Chrome 2', groupingParam: GROUP, pid: 1001 }),
          session('vlc', { displayName: 'VLC' }),
          session('mic-app', { deviceId: MICROPHONE, flow: 'capture' }),
        ],
      }),
    );
    const full = () => mixerStrips([...store.getState().sessions.values()], SPEAKERS, 'render');
    const derived = () => selectStrips(store.getState(), SPEAKERS, 'render');
    const vlcBefore = selectStrip(store.getState(), SPEAKERS, 'render', 'vlc');
    const steps = [
      { changed: [{ id: 'chrome-2', changes: { volume: 0.2 } }] },
      { changed: [{ id: 'chrome-1', changes: { state: 'active' as const } }, { id: 'chrome-2', changes: { state: 'inactive' as const } }] },
      { changed: [{ id: 'mic-app', changes: { volume: 0.1 } }] },
      { changed: [{ id: 'vlc', changes: { groupingParam: GROUP } }] },
      { changed: [{ id: 'vlc', changes: { state: 'expired' as const } }] },
    ];
    for (const [index, step] of steps.entries()) {
      store.getState().applyMessage(patch(step));
      expect(derived(), `after step ${index}`).toEqual(full());
      if (index < 3) expect(selectStrip(store.getState(), SPEAKERS, 'render', 'vlc')).toBe(vlcBefore);
    }
  });

  it('makes a strip first selected after patches from the sessions as they are then', () => {
    const store = createMixerStore();
    store.getState().applyMessage(snapshot());
    // Only the keys, as a long list asks before it mounts a strip.
    expect(selectVisibleStripKeys(store.getState(), SPEAKERS, 'render')).toContain('spotify');
    store.getState().applyMessage(patch({ changed: [{ id: 'spotify', changes: { volume: 0.3 } }] }));
    store.getState().applyMessage(patch({ changed: [{ id: 'firefox', changes: { muted: true } }] }));
    const full = mixerStrips([...store.getState().sessions.values()], SPEAKERS, 'render');
    for (const strip of full) expect(selectStrip(store.getState(), SPEAKERS, 'render', strip.key)).toEqual(strip);
    expect(selectStrip(store.getState(), SPEAKERS, 'render', 'spotify')?.volume).toBe(0.3);
  });

  it('returns the same result for the same sessions map', () => {
    const store = createMixerStore();
    store.getState().applyMessage(snapshot());
    expect(selectStrips(store.getState(), SPEAKERS, 'render')).toBe(selectStrips(store.getState(), SPEAKERS, 'render'));
  });

  it("keeps an untouched strip's identity when another session changes", () => {
    const store = createMixerStore();
    store.getState().applyMessage(snapshot());
    const spotifyBefore = selectStrip(store.getState(), SPEAKERS, 'render', 'spotify');
    const firefoxBefore = selectStrip(store.getState(), SPEAKERS, 'render', 'firefox');
    store.getState().applyMessage(patch({ changed: [{ id: 'firefox', changes: { volume: 0.9 } }] }));
    expect(selectStrip(store.getState(), SPEAKERS, 'render', 'spotify')).toBe(spotifyBefore);
    expect(selectStrip(store.getState(), SPEAKERS, 'render', 'firefox')).not.toBe(firefoxBefore);
    expect(selectStrip(store.getState(), SPEAKERS, 'render', 'firefox')?.volume).toBe(0.9);
  });

  it("keeps a strip's session list while only its values change, so its meter is not restarted", () => {
    const store = createMixerStore();
    store.getState().applyMessage(snapshot());
    const before = selectStrip(store.getState(), SPEAKERS, 'render', 'firefox');
    store.getState().applyMessage(patch({ changed: [{ id: 'firefox', changes: { volume: 0.9 } }] }));
    const after = selectStrip(store.getState(), SPEAKERS, 'render', 'firefox');
    expect(after?.volume).toBe(0.9);
    expect(after?.sessionIds).toBe(before?.sessionIds);
  });

  it('separates capture sessions from render sessions', () => {
    const store = createMixerStore();
    store
      .getState()
      .applyMessage(
        snapshot({ sessions: [session('recorder', { flow: 'capture', deviceId: MICROPHONE }), session('firefox')] }),
      );
    expect(selectStrips(store.getState(), MICROPHONE, 'capture').map((strip) => strip.key)).toEqual(['recorder']);
    expect(selectStrips(store.getState(), SPEAKERS, 'render').map((strip) => strip.key)).toEqual(['firefox']);
  });
});

describe('selectShownDeviceId', () => {
  it('follows the default device until the user picks one', () => {
    const store = createMixerStore();
    store.getState().applyMessage(snapshot());
    expect(selectShownDeviceId(store.getState(), 'render')).toBe(SPEAKERS);
    expect(selectShownDeviceId(store.getState(), 'capture')).toBe(MICROPHONE);
    store.getState().selectDevice(HEADPHONES);
    expect(selectShownDeviceId(store.getState(), 'render')).toBe(HEADPHONES);
  });

  it('falls back to the default when the picked device goes away or is unplugged', () => {
    const store = createMixerStore();
    store.getState().applyMessage(snapshot());
    store.getState().selectDevice(HEADPHONES);
    store.getState().applyMessage(patch({}, { upserted: [device(HEADPHONES, { state: 'unplugged' })] }));
    expect(selectShownDeviceId(store.getState(), 'render')).toBe(SPEAKERS);
    store
      .getState()
      .applyMessage(patch({}, { upserted: [device(HEADPHONES, { defaultFor: ['console'] })], removed: [SPEAKERS] }));
    expect(selectShownDeviceId(store.getState(), 'render')).toBe(HEADPHONES);
  });

  it('never shows a capture device as the playback device', () => {
    const store = createMixerStore();
    store.getState().applyMessage(snapshot());
    store.getState().selectDevice(MICROPHONE);
    expect(selectShownDeviceId(store.getState(), 'render')).toBe(SPEAKERS);
  });

  it('is null when there is no device of that flow', () => {
    const store = createMixerStore();
    store.getState().applyMessage(snapshot({ devices: [device(SPEAKERS)] }));
    expect(selectShownDeviceId(store.getState(), 'render')).toBe(SPEAKERS);
    expect(selectShownDeviceId(store.getState(), 'capture')).toBeNull();
  });
});
