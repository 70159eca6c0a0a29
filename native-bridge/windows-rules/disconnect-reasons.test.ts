import { describe, expect, it } from 'vitest';
import { DISCONNECT_REASONS } from '../types';
import { disconnectReasonCode, disconnectReasonOf } from './disconnect-reasons';

describe('disconnect reasons (R21)', () => {
  it('maps every reason to its enum number and back', () => {
    for (const reason of DISCONNECT_REASONS) expect(disconnectReasonOf(disconnectReasonCode(reason))).toBe(reason);
    expect(disconnectReasonCode('device-removed')).toBe(0);
    expect(disconnectReasonCode('exclusive-mode-override')).toBe(5);
  });

  it('reads a number outside the enum as session-disconnected', () => {
    expect(disconnectReasonOf(42)).toBe('session-disconnected');
  });
});
