// The one mapping between a stereo balance (-1 left .. 0 centre .. 1 right) and channel
// volumes, shared by the CLI's --balance, the engine host's set-balance and the renderer's
// balance control (through core/contract).
// Balance is PulseAudio's definition (pa_cvolume_get_balance / set_balance) applied to the
// first two channels, so pactl, pavucontrol and SndMix agree on what a value means:
// the louder side keeps the level, the quieter one is scaled by (1 - |balance|).
// Channels past the first two (centre, LFE, rear) keep their volumes.

/** Balance of channel volumes; 0 when there are fewer than two channels or both are silent. */
export function balanceOf(channelVolumes: readonly number[]): number {
  if (channelVolumes.length < 2) return 0;
  const left = channelVolumes[0] ?? 0;
  const right = channelVolumes[1] ?? 0;
  if (left === right) return 0;
  return left > right ? -(1 - right / left) : 1 - left / right;
}

/** The channel volumes that give `balance` while keeping the louder side's level. */
export function channelVolumesForBalance(channelVolumes: readonly number[], balance: number): number[] {
  if (channelVolumes.length < 2) return [...channelVolumes];
  const clamped = Math.min(1, Math.max(-1, balance));
  const level = Math.max(channelVolumes[0] ?? 0, channelVolumes[1] ?? 0);
  const left = clamped > 0 ? level * (1 - clamped) : level;
  const right = clamped < 0 ? level * (1 + clamped) : level;
  return [left, right, ...channelVolumes.slice(2)];
}

/** Whether a session's channels can carry a balance (the renderer shows the control only then). */
export function hasBalance(channelVolumes: readonly number[]): boolean {
  return channelVolumes.length >= 2;
}
