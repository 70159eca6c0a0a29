import { describe, expect, it } from 'vitest';
import { mixerStrips } from '../../core/mixer-view';
import type { BackendEvent, SessionRecord } from '../types';
import { createSimBackend } from './simulated-windows';
import { settle } from './test-helpers';
import { ManualClock } from './clock';
import { DEFAULT_EXPIRE_AFTER_MS } from './session-lifecycle';
import { DEMO_DEVICE_IDS, DEMO_PIDS } from './demo';

async function demoBackend(live: boolean) {
  const clock = new ManualClock(1_700_000_000_000);
  const backend = await createSimBackend({ stateDir: null, scenario: 'demo', live, clock, onWarning: (message) => { throw new Error(message); } });
  await settle();
  const events: BackendEvent[] = [];
  backend.subscribe((event) => events.push(event));
  return { backend, clock, events, demo: backend.demo as NonNullable<typeof backend.demo> };
}

async function everything(backend: Awaited<ReturnType<typeof demoBackend>>['backend']): Promise<SessionRecord[]> {
  const devices = await backend.listDevices();
  return (await Promise.all(devices.map((device) => backend.listSessions(device.id)))).flat();
}

describe('the demo scenario', () => {
  it('has speakers, a USB headset (default for communications) and two microphones', async () => {
    const { backend } = await demoBackend(false);
    expect((await backend.listDevices()).map((device) => [device.id, device.flow, device.defaultFor])).toEqual([
      [DEMO_DEVICE_IDS.speakers, 'render', ['console', 'multimedia']],
      [DEMO_DEVICE_IDS.headset, 'render', ['communications']],
      [DEMO_DEVICE_IDS.microphone, 'capture', ['console', 'multimedia']],
      [DEMO_DEVICE_IDS.headsetMicrophone, 'capture', ['communications']],
    ]);
  });

  it('lists its sessions right at start-up, as strips a mixer shows', async () => {
    const { backend } = await demoBackend(false);
    const sessions = await everything(backend);
    const strips = (deviceId: string, flow: 'render' | 'capture' = 'render') =>
      mixerStrips(sessions, deviceId, flow).map((strip) => [strip.displayName, strip.pids, strip.state]);

    expect(strips(DEMO_DEVICE_IDS.speakers)).toEqual([
      ['System Sounds', [0], 'inactive'],
      ['Blue in Green - Miles Davis - Melodia', [DEMO_PIDS.mediaPlayer], 'active'],
      ['Lo-fi beats to study to - VidTube - Corvid', [DEMO_PIDS.browser, DEMO_PIDS.browserSecondInstance], 'active'],
      ['Starfall Odyssey', [DEMO_PIDS.game], 'active'],
    ]);
    expect(strips(DEMO_DEVICE_IDS.headset)).toEqual([
      ['System Sounds', [0], 'inactive'],
      ['Parley - #general', [DEMO_PIDS.voiceChat], 'inactive'],
    ]);
    expect(strips(DEMO_DEVICE_IDS.headsetMicrophone, 'capture')).toEqual([['Parley - #general', [DEMO_PIDS.voiceChat], 'inactive']]);

    const onDefault = sessions.filter((session) => session.deviceId === DEMO_DEVICE_IDS.speakers);
    expect(onDefault.filter((session) => session.isSystemSounds)).toHaveLength(1);
    expect(new Set(sessions.map((session) => session.displayNameSource))).toEqual(
      new Set(['system-sounds', 'window-title', 'file-description', 'client']),
    );
    for (const session of sessions) {
      expect(Buffer.from((session.icon ?? '').replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString()).toMatch(/^<svg /);
    }
  });

  it('lets the voice chat call duck the others', async () => {
    const { backend, demo, events } = await demoBackend(false);
    await everything(backend);
    backend.engine.startStream(demo.streams.voiceChatRender);
    expect(events).toContainEqual({
      type: 'duck',
      deviceId: DEMO_DEVICE_IDS.headset,
      sessionId: demo.sessions.voiceChatRender,
      communicationSessions: 1,
    });
    const ducked = await backend.getPeaks([demo.sessions.mediaPlayer]);
    backend.engine.stopStream(demo.streams.voiceChatRender);
    const normal = await backend.getPeaks([demo.sessions.mediaPlayer]);
    expect(ducked[demo.sessions.mediaPlayer]).toBeLessThan(normal[demo.sessions.mediaPlayer] as number);
  });

  it('stays still unless live', async () => {
    const { backend, clock, events } = await demoBackend(false);
    await everything(backend);
    clock.advance(DEFAULT_EXPIRE_AFTER_MS - 1);
    expect(events).toEqual([]);
  });

  it('when live, starts and stops streams over time: calls, a browser tab, system sounds, the game pausing until it expires', async () => {
    const { backend, clock, events, demo } = await demoBackend(true);
    await everything(backend);
    const states = (sessionId: string) =>
      events.flatMap((event) => (event.type === 'state-changed' && event.sessionId === sessionId ? [event.state] : []));

    clock.advance(5_000);
    expect(states(demo.sessions.voiceChatRender)).toEqual(['active']);
    expect(states(demo.sessions.voiceChatCapture)).toEqual(['active']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'duck', sessionId: demo.sessions.voiceChatRender }));
    clock.advance(2_000);
    expect(states(demo.sessions.browserSecondInstance)).toEqual(['active']);
    clock.advance(5_000);
    expect(states(demo.sessions.systemSounds)).toEqual(['active']);
    clock.advance(1_000);
    expect(states(demo.sessions.systemSounds)).toEqual(['active', 'inactive']);

    clock.advance(27_000); // 40 s: the game pauses
    expect(states(demo.sessions.game)).toEqual(['inactive']);
    clock.advance(DEFAULT_EXPIRE_AFTER_MS);
    expect(states(demo.sessions.game)).toEqual(['inactive', 'expired']);
    await settle(); // the backend lets go of the expired session's control
    clock.advance(15_000); // 85 s: it plays again, a new session object told by OnSessionCreated
    await settle();
    expect(states(demo.sessions.game)).toEqual(['inactive', 'expired', 'active']);

    await backend.close();
    expect(clock.pendingTimers).toBe(0);
  });

  it('keeps running when a scenario takes its apps and devices away', async () => {
    const { backend, clock } = await demoBackend(true);
    await everything(backend);
    backend.engine.exitProcess(DEMO_PIDS.game);
    backend.engine.removeDevice(DEMO_DEVICE_IDS.headset);
    backend.engine.removeDevice(DEMO_DEVICE_IDS.speakers);
    expect(() => clock.advance(200_000)).not.toThrow();
    await backend.close();
  });
});
