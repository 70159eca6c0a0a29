// The engine host shows an audio system that went away (the window's banner reads
// backend.disconnected): here Windows' audio service stopping under the coreaudio backend,
// on the simulated Windows with the service's runs modelled by the stubbed system.
import { describe, expect, it } from 'vitest';
import { createCoreAudioBackend } from '../native-bridge/coreaudio/backend';
import { SERVICE_STOPPED_MESSAGE } from '../native-bridge/coreaudio/audio-service';
import { StubbedSystem } from '../native-bridge/coreaudio/testing/stubbed-system';
import { ManualClock } from '../native-bridge/sim/clock';
import { SimEngine } from '../native-bridge/sim/engine';
import { SimAudioSystem } from '../native-bridge/sim/system';
import type { ServerMessage } from './contract';
import { EngineHost } from './engine-host';

describe('a lost audio system in the engine host', () => {
  it("shows Windows' audio service stopped as a lost audio system, and clears it once the service is back", async () => {
    const engine = new SimEngine({ clock: new ManualClock(0) });
    engine.addDevice({ id: 'speakers', name: 'Speakers', flow: 'render', defaultFor: ['console', 'multimedia', 'communications'] });
    engine.startProcess({ pid: 100, exePath: 'C:\\Apps\\player.exe' });
    const stream = engine.openStream({ pid: 100, deviceId: 'speakers', start: true });
    const system = new StubbedSystem(new SimAudioSystem(engine, { mixerPid: 4242 }));
    const backend = await createCoreAudioBackend({ system, pollIntervalMs: null, onWarning: (message) => expect.fail(message) });
    const host = await EngineHost.start(backend, { flushIntervalMs: 1 });
    const received: ServerMessage[] = [];
    const client = host.connect((message) => (received.push(message), true));
    await client.handle({ type: 'subscribe' });
    const lastSnapshot = () => received.filter((message) => message.type === 'snapshot').at(-1);

    system.stopService();
    await host.reconcile();
    expect(lastSnapshot()).toMatchObject({ backend: { disconnected: SERVICE_STOPPED_MESSAGE } });
    expect(host.session(stream.sessionId)?.disconnected).toBe('server-shutdown');
    system.startService();
    await host.reconcile();
    expect(lastSnapshot()).toMatchObject({ backend: { disconnected: null } });
    expect(host.session(stream.sessionId)?.disconnected).toBeNull();
    await host.close();
    expect(system.liveReferences()).toBe(0);
  });
});
