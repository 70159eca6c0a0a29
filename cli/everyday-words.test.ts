import { describe, expect, it } from 'vitest';
import type { HostState } from '../core/contract';
import { device, session } from '../core/testing/fake-backend';
import { describeApp } from './everyday';

const state: HostState = { notes: {}, preferences: { apps: {}, devices: {} }, profiles: { profiles: [], problems: [] }, recentlyHeard: [] };

describe('describeApp output route', () => {
  it('names the device an app is pinned to', () => {
    const speakers = device({ id: 'speakers', name: 'Speakers' });
    expect(describeApp(session({ outputRoute: { kind: 'pinned', deviceId: 'speakers' } }), state, [speakers]).flags).toContain('pinned to Speakers');
  });

  it('says a pinned device is not connected when it is not among the devices (unplugged, R28)', () => {
    const flags = describeApp(session({ outputRoute: { kind: 'pinned', deviceId: 'usb-headset' } }), state, [device({ id: 'speakers' })]).flags;
    expect(flags).toContain('pinned to usb-headset (not connected)');
  });
});
