// The CLI's view of the everyday mixer: what `list` adds to each session (its app key,
// the user's name for it, hidden, balance, who changed it last, where its output goes), `profile list`, and
// `set --output`'s device argument.
import type { HostState, Profile } from '../core/contract';
import { appKeyOf, balanceOf, hasBalance } from '../core/contract';
import type { DeviceRecord, Flow, OutputRoute, SessionRecord } from '../native-bridge/types';
import { UsageError } from './targets';

/** What `list` says of a session's app; in `list --json` as each session's "app". */
export interface AppSummary {
  key: string;
  /** The user's name for the app (set --rename), or null. */
  name: string | null;
  hidden: boolean;
  /** -1..1, null when the session has fewer than two channels. */
  balance: number | null;
  lastChange: HostState['notes'][string]['lastChange'];
  changesItself: boolean;
  /** Short words for the text listing: hidden, balance, last change's origin, changes itself, output route. */
  flags: string[];
}

/** `devices`: every device the backend lists, to name the one an app is pinned to (one not among them is not connected). */
export function describeApp(session: SessionRecord, state: HostState, devices: readonly DeviceRecord[]): AppSummary {
  const key = appKeyOf(session);
  const preference = state.preferences.apps[key];
  const note = state.notes[session.id];
  const balance = hasBalance(session.channelVolumes) ? Math.round(balanceOf(session.channelVolumes) * 100) / 100 : null;
  const flags: string[] = [];
  if (preference?.hidden) flags.push('hidden');
  if (balance !== null && balance !== 0) flags.push(`balance ${balance > 0 ? `R${Math.round(balance * 100)}` : `L${Math.round(-balance * 100)}`}`);
  if (note?.lastChange) flags.push(`changed by ${note.lastChange.origin} at ${new Date(note.lastChange.time).toISOString().slice(11, 19)}`);
  if (note?.changesItself) flags.push('changes itself');
  const route = outputRouteWords(session.outputRoute, devices);
  if (route) flags.push(route);
  return {
    key,
    name: preference?.name ?? null,
    hidden: preference?.hidden ?? false,
    balance,
    lastChange: note?.lastChange ?? null,
    changesItself: note?.changesItself ?? false,
    flags,
  };
}

/** Where the app's output goes (SessionRecord.outputRoute), or null where the backend does not say. */
function outputRouteWords(route: OutputRoute | null, devices: readonly DeviceRecord[]): string | null {
  if (route === null) return null;
  switch (route.kind) {
    case 'follows-default':
      return 'follows default device';
    case 'pinned': {
      // An app keeps its device while that device is unplugged (R28): its id is all there is to name it by.
      const device = devices.find((candidate) => candidate.id === route.deviceId);
      return device ? `pinned to ${device.name}` : `pinned to ${route.deviceId} (not connected)`;
    }
  }
}

/**
 * `--output`'s device: an id, else a device name (case-insensitive) of the session's flow;
 * "default" is null, back to following the default device.
 */
export function resolveOutputDevice(devices: readonly DeviceRecord[], given: string, flow: Flow): string | null {
  if (given === 'default') return null;
  const byId = devices.find((device) => device.id === given);
  if (byId) return byId.id;
  const wanted = given.toLocaleLowerCase();
  const named = devices.filter((device) => device.flow === flow && device.name.toLocaleLowerCase() === wanted);
  const [only] = named;
  if (only && named.length === 1) return only.id;
  if (named.length > 1) throw new UsageError(`several devices are named "${given}": give its id (${named.map((device) => device.id).join(', ')})`);
  throw new UsageError(`no ${flow === 'render' ? 'playback' : 'recording'} device with id or name "${given}" (see sndmix devices)`);
}

export function formatProfiles(profiles: readonly Profile[]): string {
  if (profiles.length === 0) return 'no profiles\n';
  return `${profiles
    .map((profile) => `${profile.name}  (${Object.keys(profile.apps).length} apps, saved ${new Date(profile.savedAt).toISOString().slice(0, 16).replace('T', ' ')})`)
    .join('\n')}\n`;
}
