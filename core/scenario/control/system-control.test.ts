// What each platform's control does with a disturbance it cannot make: it says so, with
// the reason, rather than pretend.
import { describe, expect, it } from 'vitest';
import { CoreAudioControl } from './coreaudio-control';
import { PulseControl, parsePulseDeviceId } from './pulse-control';
import { NotSupportedError } from './system-control';

describe('disturbances on coreaudio', () => {
  const control = new CoreAudioControl();
  it.each([
    ['moving streams', () => control.moveStreams([42], 'speakers'), /moving streams to speakers on coreaudio is not supported: Windows has no documented API/],
    ['removing a device', () => control.removeDevice('speakers'), /removing device speakers on coreaudio is not supported: .*unplug it by hand/],
    ['suspending a device', () => control.suspendDevice('speakers'), /no suspend state/],
    ['changing the default device', () => control.setDefaultDevice('speakers'), /IPolicyConfig/],
    ['adding a device', () => control.addDevice({ id: 'x', name: 'X', flow: 'render', makeDefault: false }), /an endpoint comes from a driver/],
  ])('are not supported: %s', async (_what, act, reason) => {
    const failure = await act().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotSupportedError);
    expect((failure as Error).message).toMatch(reason);
  });
});

describe('disturbances on pulse', () => {
  it('name devices as the backend does', () => {
    expect(parsePulseDeviceId('sink:alsa_output.pci-0000_00_1f.3.analog-stereo')).toEqual(['sink', 'alsa_output.pci-0000_00_1f.3.analog-stereo']);
    expect(parsePulseDeviceId('source:mic')).toEqual(['source', 'mic']);
    expect(() => parsePulseDeviceId('speakers')).toThrow(/not a PulseAudio device id/);
  });

  it('cannot make a device the default for one role only: PulseAudio has one default', async () => {
    const failure = await new PulseControl({}).setDefaultDevice('sink:speakers', ['communications']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotSupportedError);
    expect((failure as Error).message).toMatch(/PulseAudio has one default device for all roles/);
  });
});
