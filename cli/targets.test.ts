import { describe, expect, it } from 'vitest';
import { device, session } from '../core/testing/fake-backend';
import { UsageError, resolveTarget } from './targets';

const devices = [device(), device({ id: 'dev-usb', name: 'Headset' }), device({ id: 'dev-mic', flow: 'capture' })];
const sessions = [
  session({ id: 's-player', displayName: 'Player', pid: 100 }),
  session({ id: 's-web1', displayName: 'Browser', pid: 200, groupingParam: '{g}' }),
  session({ id: 's-web2', displayName: 'Browser', pid: 201, groupingParam: '{g}', state: 'inactive' }),
  session({ id: 's-chat', displayName: 'Chat', pid: 300, deviceId: 'dev-usb' }),
  session({ id: 's-chat2', displayName: 'Chat', pid: 300 }),
  session({ id: 's-chat-mic', displayName: 'Chat', pid: 300, deviceId: 'dev-mic', flow: 'capture' }),
  session({ id: 's-old', displayName: 'Old', pid: 400, state: 'expired' }),
];

describe('resolveTarget', () => {
  it('takes an id as exactly that session, whatever its flow', () => {
    expect(resolveTarget(sessions, devices, { id: 's-chat-mic' })).toEqual({ sessionIds: ['s-chat-mic'], label: 'Chat' });
  });

  it('matches a name case-insensitively against what the mixer shows, grouped sessions counting once', () => {
    expect(resolveTarget(sessions, devices, { name: 'browser' }).sessionIds).toEqual(['s-web1', 's-web2']);
    expect(resolveTarget(sessions, devices, { pid: 201 }).sessionIds).toEqual(['s-web1', 's-web2']);
  });

  it('calls a name shown on two devices ambiguous, unless --device narrows it', () => {
    expect(() => resolveTarget(sessions, devices, { name: 'Chat' })).toThrow(/2 sessions named "Chat"/);
    expect(resolveTarget(sessions, devices, { name: 'Chat', deviceId: 'dev-usb' }).sessionIds).toEqual(['s-chat']);
  });

  it('does not match what the mixer hides (expired)', () => {
    expect(() => resolveTarget(sessions, devices, { name: 'Old' })).toThrow('no session named "Old"');
    expect(() => resolveTarget(sessions, devices, { pid: 999 })).toThrow('no session of pid 999');
  });

  it('finds recording sessions by name or pid when no playback strip matches, or on a recording device', () => {
    const withRecorder = [...sessions, session({ id: 's-rec', displayName: 'Recorder', pid: 500, deviceId: 'dev-mic', flow: 'capture' })];
    expect(resolveTarget(withRecorder, devices, { name: 'recorder' }).sessionIds).toEqual(['s-rec']);
    expect(resolveTarget(withRecorder, devices, { pid: 500 }).sessionIds).toEqual(['s-rec']);
    // Playback first: Chat plays and records; its recording strip needs --device.
    expect(resolveTarget(withRecorder, devices, { name: 'Chat', deviceId: 'dev-mic' }).sessionIds).toEqual(['s-chat-mic']);
  });

  it('wants exactly one selector', () => {
    expect(() => resolveTarget(sessions, devices, {})).toThrow(UsageError);
    expect(() => resolveTarget(sessions, devices, { id: 's-player', name: 'Player' })).toThrow('exactly one');
    expect(() => resolveTarget(sessions, devices, { name: 'Player', deviceId: 'nope' })).toThrow('no device with id nope');
  });
});
