// How SndMix's 0..1 volume scalar maps onto PulseAudio volumes.
//
// Choice: linear in pa_volume_t, with PA_VOLUME_NORM (100 %) = 1.0. That is exactly what
// pavucontrol's and GNOME's sliders show, and it is already perceptual: PulseAudio's
// software volume is cubic in amplitude (pa_sw_volume_to_linear(v) = (v / NORM)^3), so a
// slider linear in pa_volume_t is a cubic-mapped slider. Volumes above 100 % (PulseAudio
// allows amplification) read as 1.0: the contract's scalar stops there, and SndMix never
// writes more than PA_VOLUME_NORM.

export const PA_VOLUME_NORM = 0x10000;
export const PA_VOLUME_MUTED = 0;

/**
 * A PulseAudio volume as SndMix's scalar (clamped to 0..1), at the server's resolution:
 * the fewest decimals within one pa_volume_t step of it. 19661 (what 0.3 became) and
 * 19660 (what `pactl ... 30%` sets) both read 0.3, not 0.3000030517578125 or
 * 0.2999877..., and writing the scalar back lands within that step (sameChannelVolumes).
 */
export function paVolumeToScalar(volume: number): number {
  if (!Number.isFinite(volume) || volume <= PA_VOLUME_MUTED) return 0;
  if (volume >= PA_VOLUME_NORM) return 1;
  const exact = volume / PA_VOLUME_NORM;
  for (let decimals = 1; decimals < 5; decimals++) {
    const rounded = Number(exact.toFixed(decimals));
    if (Math.abs(rounded * PA_VOLUME_NORM - volume) < 1) return rounded;
  }
  // One step is 1/65536 > 1e-5: five decimals always land within it.
  return Number(exact.toFixed(5));
}

/** SndMix's scalar (0..1) as a PulseAudio volume. */
export function scalarToPaVolume(scalar: number): number {
  return Math.round(Math.min(1, Math.max(0, scalar)) * PA_VOLUME_NORM);
}

/** The loudest channel: PulseAudio's pa_cvolume_max, the value a single slider shows. */
export function maxChannel(channels: readonly number[]): number {
  return channels.reduce((max, volume) => Math.max(max, volume), PA_VOLUME_MUTED);
}

/**
 * Sets the loudest channel to `target` and scales the others by the same factor, so a
 * stream's balance survives a master-volume change (pa_cvolume_scale). A stream whose
 * channels are all silent has no balance left to keep: every channel gets `target`.
 */
export function scaleChannelsTo(channels: readonly number[], target: number): number[] {
  const max = maxChannel(channels);
  if (max === PA_VOLUME_MUTED) return channels.map(() => target);
  return channels.map((volume) => Math.round((volume * target) / max));
}

/** Amplitude factor of a software volume (pa_sw_volume_to_linear): used to scale a source's peak. */
export function paVolumeToAmplitude(volume: number): number {
  if (volume <= PA_VOLUME_MUTED) return 0;
  const ratio = volume / PA_VOLUME_NORM;
  return ratio * ratio * ratio;
}

/** True when two channel-volume lists match within PulseAudio's rounding (one step per channel). */
export function sameChannelVolumes(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((volume, channel) => Math.abs(volume - (b[channel] ?? -2)) <= 1);
}
