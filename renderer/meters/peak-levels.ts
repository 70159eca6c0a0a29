// What a peaks message does to the meters, wherever they are animated (the page or the meter
// worker): session and device levels go to one animator, device meters keyed apart (their ids
// may coincide with sessions').
import type { ServerMessage } from '../../core/contract';
import type { MeterAnimator } from './meter-animator';

export type PeaksMessage = Extract<ServerMessage, { type: 'peaks' }>;

/** The meter animator's key for a device's level. */
export function deviceMeterKey(deviceId: string): string {
  return `device\u0000${deviceId}`;
}

export function applyPeaks(meters: Pick<MeterAnimator<unknown>, 'apply'>, message: PeaksMessage): void {
  const devicePeaks = Object.entries(message.devicePeaks ?? {}).map(([deviceId, peak]) => [deviceMeterKey(deviceId), peak]);
  meters.apply(devicePeaks.length > 0 ? { ...message.peaks, ...Object.fromEntries(devicePeaks) } : message.peaks, message.full === true);
}
