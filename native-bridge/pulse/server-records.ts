// Typed views of what the PulseAudio server reports, built from the loosely typed
// records pulseaudio.js returns (it types most of them as `any`). Every field is
// checked here so the rest of the backend works with plain, trusted data.

/** PA_INVALID_INDEX: "no such object" in index fields (e.g. a stream owned by a module, not a client). */
export const PA_INVALID_INDEX = 0xffffffff;

export type StreamKind = 'sink-input' | 'source-output';
export type DeviceKind = 'sink' | 'source';

/** A sink-input (playback stream) or source-output (record stream). */
export interface PaStream {
  kind: StreamKind;
  index: number;
  /** Owning client, PA_INVALID_INDEX for streams a module made (e.g. module-loopback). */
  clientIndex: number;
  moduleIndex: number;
  /** The sink (sink-input) or source (source-output) it plays to / records from. */
  deviceIndex: number;
  /** Raw pa_volume_t per channel. */
  channelVolumes: number[];
  muted: boolean;
  corked: boolean;
  /** False for passthrough streams, whose volume cannot be read or set. */
  hasVolume: boolean;
  writableVolume: boolean;
  /** The stream's property list, flattened ("application.name" -> "Firefox"). */
  props: Record<string, string>;
}

/** A client connection (an application's libpulse or pipewire-pulse/PipeWire client). */
export interface PaClient {
  index: number;
  name: string;
  /** The client's property list, flattened. PipeWire-native clients keep their pid and binary here, not on their streams. */
  props: Record<string, string>;
}

export type PortAvailability = 'unknown' | 'no' | 'yes';

/** A sink (render endpoint) or source (capture endpoint). */
export interface PaDevice {
  kind: DeviceKind;
  index: number;
  name: string;
  description: string;
  channelVolumes: number[];
  muted: boolean;
  /** For a source: the sink it monitors, or null for a real capture device. */
  monitorOfSink: number | null;
  /** For a sink: its monitor source (where peak meters listen), or null. */
  monitorSource: number | null;
  /** Availability of the active port (a headphone jack unplugged reads 'no'); 'unknown' without ports. */
  activePortAvailable: PortAvailability;
  /** PA_SINK_DECIBEL_VOLUME / PA_SOURCE_DECIBEL_VOLUME: the volume maps to dB (pa_sw_volume_to_dB). */
  decibelVolume: boolean;
  props: Record<string, string>;
}

/** PA_SINK_DECIBEL_VOLUME and PA_SOURCE_DECIBEL_VOLUME share this bit. */
const DECIBEL_VOLUME_FLAG = 0x20;

/** Key of a device in maps by server index: sinks and sources are numbered separately. */
export function deviceKey(kind: DeviceKind, index: number): string {
  return `${kind}#${index}`;
}

/** Key of a stream in maps by server index: sink-inputs and source-outputs are numbered separately. */
export function streamKey(kind: StreamKind, index: number): string {
  return `${kind}#${index}`;
}

/** The device a stream plays to or records from, as a deviceKey. */
export function streamDeviceKey(stream: PaStream): string {
  return deviceKey(stream.kind === 'sink-input' ? 'sink' : 'source', stream.deviceIndex);
}

export interface PaServerInfo {
  name: string;
  version: string;
  defaultSinkName: string | null;
  defaultSourceName: string | null;
}

type Loose = Record<string, unknown>;

function asRecord(value: unknown, what: string): Loose {
  if (typeof value !== 'object' || value === null) throw new TypeError(`malformed ${what} from the PulseAudio server`);
  return value as Loose;
}

function index(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`malformed ${what} from the PulseAudio server: ${String(value)}`);
  }
  return value;
}

function volumes(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new TypeError(`malformed ${what} volume from the PulseAudio server`);
  }
  return value as number[];
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * pulseaudio.js hands property lists back as a tree ({application: {name: ...}}), keeping
 * a key that has both a value and children as "@key". This turns it back into the flat
 * "a.b.c" keys PulseAudio itself uses.
 */
export function flattenProps(tree: unknown, prefix = '', into: Record<string, string> = {}): Record<string, string> {
  if (typeof tree !== 'object' || tree === null) return into;
  for (const [key, value] of Object.entries(tree as Loose)) {
    if (typeof value === 'object' && value !== null) {
      flattenProps(value, `${prefix}${key}.`, into);
    } else if (typeof value === 'string') {
      into[`${prefix}${key.startsWith('@') ? key.slice(1) : key}`] = value;
    }
  }
  return into;
}

export function toStream(kind: StreamKind, raw: unknown): PaStream {
  const record = asRecord(raw, kind);
  const what = `${kind} #${String(record.index)}`;
  return {
    kind,
    index: index(record.index, what),
    clientIndex: index(record.client, `${what} client`),
    moduleIndex: index(record.module, `${what} module`),
    deviceIndex: index(kind === 'sink-input' ? record.sink : record.source, `${what} device`),
    channelVolumes: volumes(record.volume, what),
    muted: record.muted === true,
    corked: record.corked === true,
    hasVolume: record.hasVolume !== false,
    writableVolume: record.writableVolume !== false,
    props: flattenProps(record.properties),
  };
}

export function toClient(raw: unknown): PaClient {
  const record = asRecord(raw, 'client');
  const what = `client #${String(record.index)}`;
  return { index: index(record.index, what), name: text(record.name) ?? '', props: flattenProps(record.properties) };
}

const PORT_AVAILABILITY: readonly PortAvailability[] = ['unknown', 'no', 'yes'];

export function toDevice(kind: DeviceKind, raw: unknown): PaDevice {
  const record = asRecord(raw, kind);
  const what = `${kind} #${String(record.index)}`;
  const volume = asRecord(record.volume, `${what} volume`);
  const monitor = typeof record.monitor === 'object' && record.monitor !== null ? (record.monitor as Loose) : {};
  const monitorIndex = typeof monitor.index === 'number' ? monitor.index : PA_INVALID_INDEX;
  const activePort = text(record.activePort);
  const ports = Array.isArray(record.ports) ? (record.ports as Loose[]) : [];
  const port = activePort === null ? undefined : ports.find((candidate) => candidate.name === activePort);
  const name = text(record.name);
  if (name === null) throw new TypeError(`malformed ${what} from the PulseAudio server: no name`);
  return {
    kind,
    index: index(record.index, what),
    name,
    description: text(record.description) ?? name,
    channelVolumes: volumes(volume.current, what),
    muted: record.mute === true,
    // One field, two meanings: a sink's monitor source, or the sink a source monitors.
    monitorOfSink: kind === 'source' && monitorIndex !== PA_INVALID_INDEX ? monitorIndex : null,
    monitorSource: kind === 'sink' && monitorIndex !== PA_INVALID_INDEX ? monitorIndex : null,
    activePortAvailable: PORT_AVAILABILITY[typeof port?.available === 'number' ? port.available : 0] ?? 'unknown',
    decibelVolume: typeof record.flags === 'number' && (record.flags & DECIBEL_VOLUME_FLAG) !== 0,
    props: flattenProps(record.properties),
  };
}

export function toServerInfo(raw: unknown): PaServerInfo {
  const record = asRecord(raw, 'server info');
  return {
    name: text(record.name) ?? 'unknown',
    version: text(record.version) ?? 'unknown',
    defaultSinkName: text(record.defaultSink) || null,
    defaultSourceName: text(record.defaultSource) || null,
  };
}
