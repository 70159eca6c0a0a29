import { describe, expect, it } from 'vitest';
import { mixerStrips } from './mixer-view';
import { session } from './testing/fake-backend';

describe('mixerStrips', () => {
  it('puts System Sounds first and keeps the backend order for the rest', () => {
    const strips = mixerStrips(
      [
        session({ id: 'a', displayName: 'Player' }),
        session({ id: 'sys', displayName: 'System Sounds', isSystemSounds: true }),
        session({ id: 'b', displayName: 'Game' }),
      ],
      'dev-speakers',
    );
    expect(strips.map((strip) => strip.displayName)).toEqual(['System Sounds', 'Player', 'Game']);
  });

  it('merges sessions sharing a grouping param into one strip led by an active member', () => {
    const [strip] = mixerStrips(
      [
        session({ id: 'w1', displayName: 'Browser (idle)', groupingParam: '{g}', state: 'inactive', pid: 1 }),
        session({ id: 'w2', displayName: 'Browser', groupingParam: '{g}', state: 'active', pid: 2, icon: 'data:x' }),
      ],
      'dev-speakers',
    );
    expect(strip).toMatchObject({ key: 'group:{g}', sessionIds: ['w1', 'w2'], displayName: 'Browser', state: 'active', icon: 'data:x', pids: [1, 2] });
  });

  it('never merges GUID_NULL grouping params or System Sounds', () => {
    const none = '{00000000-0000-0000-0000-000000000000}';
    const strips = mixerStrips(
      [session({ id: 'a', groupingParam: none }), session({ id: 'b', groupingParam: none })],
      'dev-speakers',
    );
    expect(strips).toHaveLength(2);
  });

  it('shows only the device and flow asked for, and no expired sessions', () => {
    const strips = mixerStrips(
      [
        session({ id: 'other-device', deviceId: 'dev-usb' }),
        session({ id: 'capture', flow: 'capture' }),
        session({ id: 'expired', state: 'expired' }),
        session({ id: 'shown', state: 'inactive' }),
      ],
      'dev-speakers',
    );
    expect(strips.map((strip) => strip.key)).toEqual(['shown']);
    expect(mixerStrips([session({ id: 'capture', flow: 'capture' })], 'dev-speakers', 'capture')).toHaveLength(1);
  });

  it('calls a strip disconnected only when every member is', () => {
    const [strip] = mixerStrips(
      [session({ id: 'a', groupingParam: '{g}', disconnected: 'device-removed' }), session({ id: 'b', groupingParam: '{g}' })],
      'dev-speakers',
    );
    expect(strip?.disconnected).toBe(false);
  });
});
