// The simulated peak meters (IAudioMeterInformation::GetPeakValue) of sessions and
// endpoints. Pure: the levels are a function of the session's state and settings, the
// time and whether ducking lowers it, so a test can compute what a meter must read.
// Guarantees: every peak is within 0..1; a session that is muted, not active,
// disconnected or terminated reads 0, as does a muted endpoint.
import type { SessionCore } from './session';

/** Windows' default communications ducking lowers other sounds by 80%; the sim's peaks follow. */
export const DUCKED_PEAK_SCALE = 0.2;

/**
 * A deterministic pseudo-signal per session (two sines whose periods and phase come
 * from the session id), scaled by volume and the loudest channel; lowered while another
 * session's communications stream ducks (`ducked`).
 */
export function sessionPeak(session: SessionCore, now: number, ducked: boolean): number {
  if (session.state !== 'active' || session.muted || session.disconnected || session.terminated) return 0;
  const seed = hashText(session.id);
  const slow = Math.sin((2 * Math.PI * now) / (900 + (seed % 700)) + (seed % 628) / 100);
  const fast = Math.sin((2 * Math.PI * now) / (130 + (seed % 90)));
  const signal = 0.5 + 0.3 * slow + 0.2 * fast;
  const level = signal * session.volume * Math.max(...session.channelVolumes) * (ducked ? DUCKED_PEAK_SCALE : 1);
  return clampUnit(level);
}

/**
 * An endpoint's peak: its sessions' signals mixed, modelled as the loudest of them (a
 * peak meter shows the mix's peak, which the loudest source sets when the others are
 * quieter), times the endpoint's own volume.
 */
export function endpointPeak(sessionPeaks: readonly number[], endpoint: { volume: number; muted: boolean }): number {
  if (endpoint.muted) return 0;
  return clampUnit(Math.max(0, ...sessionPeaks) * endpoint.volume);
}

function clampUnit(level: number): number {
  return Math.min(1, Math.max(0, level));
}

/** FNV-1a: a cheap, stable number from a session id. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
