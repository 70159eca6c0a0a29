// Where SndMix keeps per-user state (the sim engine's persisted session settings).
import envPaths from 'env-paths';

/** `--state-dir` wins, then SNDMIX_STATE_DIR, then the OS's per-user app data folder. */
export function resolveStateDir(explicit?: string | null): string {
  if (explicit) return explicit;
  const fromEnv = process.env.SNDMIX_STATE_DIR;
  if (fromEnv) return fromEnv;
  return envPaths('SndMix', { suffix: '' }).data;
}
