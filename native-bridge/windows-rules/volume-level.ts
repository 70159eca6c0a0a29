// Core Audio's scalar levels (ISimpleAudioVolume, IChannelAudioVolume,
// IAudioEndpointVolume::SetMasterVolumeLevelScalar): 0.0 to 1.0; anything else is E_INVALIDARG.

export function isUnitLevel(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}
