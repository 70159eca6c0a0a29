// Endpoint peak meters on the simulated Windows: the endpoint's IAudioMeterInformation,
// through the coreaudio logic (getDevicePeaks), modelled as its loudest session times its volume.
import { describe, expect, it } from 'vitest';
import { DEVICES, backendWorld, startApp } from './test-helpers';

describe('sim endpoint peaks', () => {
  it('reads a playing device\'s peak, 0 for a silent one, and follows the endpoint\'s volume and mute', async () => {
    const { backend, engine } = await backendWorld();
    expect(backend.capabilities.devicePeakMeters).toBe(true);
    startApp(engine, 100);
    const playing = engine.openStream({ pid: 100, start: true }).sessionId;
    await backend.listDevices();
    await backend.listSessions(DEVICES.speakers);
    const [sessionPeak, devicePeaks] = await Promise.all([backend.getPeaks([playing]), backend.getDevicePeaks([DEVICES.speakers, DEVICES.headset])]);
    expect(devicePeaks[DEVICES.speakers]).toBeGreaterThan(0);
    expect(devicePeaks[DEVICES.speakers]).toBeCloseTo((sessionPeak[playing] ?? 0) * (engine.getDevice(DEVICES.speakers)?.volume ?? 0), 10);
    expect(devicePeaks[DEVICES.headset]).toBe(0);
    engine.setDeviceMute(DEVICES.speakers, true);
    expect((await backend.getDevicePeaks([DEVICES.speakers]))[DEVICES.speakers]).toBe(0);
    expect(await backend.getDevicePeaks(['{no-such-device}'])).toEqual({ '{no-such-device}': 0 });
  });
});
