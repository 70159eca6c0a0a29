// Disturbances on a PulseAudio (or pipewire-pulse) server, through pactl: the same tool a
// tester would use by hand, on the server PULSE_SERVER names. Devices the run creates are
// null sinks and sources; removing a device unloads the module that owns it.
import { execFile } from 'node:child_process';
import type { DeviceRole } from '../../../native-bridge/types';
import type { ControlDeviceSpec, SystemControl } from './system-control';
import { NotSupportedError } from './system-control';

const PACTL_TIMEOUT_MS = 5000;

interface PactlDevice {
  name: string;
  owner_module?: number | string;
}

interface PactlStream {
  index: number;
  properties?: Record<string, string>;
}

type Kind = 'sink' | 'source';

/** "sink:NAME" -> ['sink', 'NAME']. */
export function parsePulseDeviceId(deviceId: string): [Kind, string] {
  const match = /^(sink|source):(.+)$/.exec(deviceId);
  if (!match) throw new Error(`"${deviceId}" is not a PulseAudio device id (sink:NAME or source:NAME)`);
  return [match[1] as Kind, match[2] as string];
}

export class PulseControl implements SystemControl {
  /** Modules loaded by addDevice, by device id. */
  private readonly created = new Map<string, string>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  async addDevice(spec: ControlDeviceSpec): Promise<void> {
    const [kind, name] = parsePulseDeviceId(spec.id);
    const description = spec.name.replaceAll('"', "'");
    const module =
      kind === 'sink'
        ? ['module-null-sink', `sink_name=${name}`, `sink_properties=device.description="${description}"`]
        : ['module-null-source', `source_name=${name}`, `description="${description}"`];
    const index = (await this.pactl(['load-module', ...module])).trim();
    this.created.set(spec.id, index);
    if (spec.makeDefault) await this.pactl([`set-default-${kind}`, name]);
  }

  async removeDevice(deviceId: string): Promise<void> {
    const [kind, name] = parsePulseDeviceId(deviceId);
    const device = (await this.list<PactlDevice>(`${kind}s`)).find((candidate) => candidate.name === name);
    if (!device) throw new Error(`no ${kind} named ${name} on the server`);
    const owner = device.owner_module === undefined ? NaN : Number(device.owner_module);
    if (!Number.isInteger(owner) || owner < 0) {
      throw new NotSupportedError(`removing ${deviceId}`, `the ${kind} has no module to unload (a hardware device: unplug it by hand)`);
    }
    await this.pactl(['unload-module', String(owner)]);
    this.created.delete(deviceId);
  }

  async suspendDevice(deviceId: string, suspended: boolean): Promise<void> {
    const [kind, name] = parsePulseDeviceId(deviceId);
    await this.pactl([`suspend-${kind}`, name, suspended ? '1' : '0']);
  }

  /** PulseAudio has one default sink and one default source, for every role. */
  async setDefaultDevice(deviceId: string, roles: readonly DeviceRole[]): Promise<void> {
    if (roles.length !== 3) throw new NotSupportedError(`a default for only ${roles.join(', ')}`, 'PulseAudio has one default device for all roles');
    const [kind, name] = parsePulseDeviceId(deviceId);
    await this.pactl([`set-default-${kind}`, name]);
  }

  async moveStreams(pids: readonly number[], deviceId: string): Promise<number> {
    const [kind, name] = parsePulseDeviceId(deviceId);
    const what = kind === 'sink' ? 'sink-input' : 'source-output';
    const wanted = new Set(pids.map(String));
    const streams = (await this.list<PactlStream>(`${what}s`)).filter((stream) => wanted.has(stream.properties?.['application.process.id'] ?? ''));
    for (const stream of streams) await this.pactl([`move-${what}`, String(stream.index), name]);
    return streams.length;
  }

  async close(): Promise<void> {
    for (const index of [...this.created.values()].reverse()) await this.pactl(['unload-module', index]).catch(() => undefined);
    this.created.clear();
  }

  private async list<T>(what: string): Promise<T[]> {
    return JSON.parse(await this.pactl(['-f', 'json', 'list', what])) as T[];
  }

  private pactl(args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('pactl', [...args], { env: this.env, timeout: PACTL_TIMEOUT_MS }, (error, stdout, stderr) => {
        if (!error) resolve(stdout);
        else if ((error as NodeJS.ErrnoException).code === 'ENOENT') reject(new Error('pactl is not installed (Debian: apt-get install pulseaudio-utils)'));
        else reject(new Error(`pactl ${args.join(' ')}: ${stderr.trim() || error.message}`));
      });
    });
  }
}
