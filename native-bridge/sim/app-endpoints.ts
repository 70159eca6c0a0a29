// The per-app default endpoints of the simulated Windows: what IAudioPolicyConfigFactory's
// Set/GetPersistedDefaultAudioEndpoint read and write. Windows keeps them per app (the
// executable, so a second instance of an app follows the first's choice) and per flow.
// Kept for the engine's lifetime: the sim's state file (R14/R15) holds session volumes and
// mutes only.
import type { Flow } from '../types';

export class AppEndpoints {
  private readonly endpoints = new Map<string, string>();

  get(exePath: string, flow: Flow): string | null {
    return this.endpoints.get(keyOf(exePath, flow)) ?? null;
  }

  /** null: the app follows the system default again. */
  set(exePath: string, flow: Flow, deviceId: string | null): void {
    if (deviceId === null) this.endpoints.delete(keyOf(exePath, flow));
    else this.endpoints.set(keyOf(exePath, flow), deviceId);
  }
}

/** Executable paths compare case-insensitively, as Windows paths do. */
function keyOf(exePath: string, flow: Flow): string {
  return `${flow}|${exePath.toLowerCase()}`;
}

/** The volume range the simulated endpoints report (IAudioEndpointVolume::GetVolumeRange): a common driver's. */
export const SIM_ENDPOINT_VOLUME_RANGE = { minDb: -65.25, maxDb: 0, incrementDb: 0.03125 } as const;
