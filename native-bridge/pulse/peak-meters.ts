// Real peak meters, the way pavucontrol draws them: a peak-detecting record stream per
// playback stream (attached to that sink-input on its sink's monitor, so it hears the
// stream after its volume) and per capture source. The server sends one float per 40 ms,
// so a meter costs a few bytes a second. Meters open on the first getPeaks for a stream
// and close when nobody has asked for a while: they run only while the UI shows them.
import type { RecordStream } from 'pulseaudio.js';
import type { PulseConnection } from './connection';
import type { PaDevice, PaStream } from './server-records';
import { deviceKey, streamDeviceKey, streamKey } from './server-records';
import { maxChannel, paVolumeToAmplitude } from './volume';

export interface PeakMeterOptions {
  /** A meter nobody read for this long is closed. */
  idleMs?: number;
  /** A peak older than this reads as silence (the stream stopped or was corked). */
  staleMs?: number;
}

interface Meter {
  stream: RecordStream | null;
  peak: number;
  receivedAt: number;
  askedAt: number;
  closed: boolean;
}

const IDLE_MS = 3000;

/** Playback streams get a meter each; capture streams share their source's. */
function meterKeyOf(stream: PaStream): string {
  return stream.kind === 'sink-input' ? streamKey(stream.kind, stream.index) : deviceKey('source', stream.deviceIndex);
}
const STALE_MS = 250;
/** Key prefix of device meters (the sweep closes them when idle; `retain` leaves them). */
const DEVICE_METER = 'device:';

export class PeakMeters {
  private readonly meters = new Map<string, Meter>();
  private readonly idleMs: number;
  private readonly staleMs: number;
  private sweepTimer: NodeJS.Timeout | null = null;
  private connection: PulseConnection | null = null;

  constructor(options: PeakMeterOptions = {}) {
    this.idleMs = options.idleMs ?? IDLE_MS;
    this.staleMs = options.staleMs ?? STALE_MS;
  }

  /** Meters are opened on this connection until the next attach or detach. */
  attach(connection: PulseConnection): void {
    this.closeAll();
    this.connection = connection;
  }

  detach(): void {
    this.closeAll();
    this.connection = null;
  }

  /**
   * The stream's current peak (0..1); 0 until its meter's first reading arrives (about a
   * second). `devices` maps deviceKey to device.
   */
  peakOf(stream: PaStream, devices: ReadonlyMap<string, PaDevice>): number {
    if (stream.kind === 'sink-input') {
      const sink = devices.get(streamDeviceKey(stream));
      if (!sink || sink.monitorSource === null) return 0;
      return this.read(meterKeyOf(stream), sink.monitorSource, stream.index);
    }
    // A source-output has no stream of its own to attach to: meter its source and apply the
    // stream's own volume, as the server does to what the application records.
    const sourcePeak = this.read(meterKeyOf(stream), stream.deviceIndex, null);
    if (stream.muted) return 0;
    return Math.min(1, sourcePeak * paVolumeToAmplitude(maxChannel(stream.channelVolumes)));
  }

  /**
   * A device's current peak (0..1): a sink's monitor source (what it plays, after its
   * volume) or a source as recorded. Device meters close when idle, like the others.
   */
  devicePeakOf(device: PaDevice): number {
    const sourceIndex = device.kind === 'sink' ? device.monitorSource : device.index;
    if (sourceIndex === null) return 0;
    return this.read(`${DEVICE_METER}${deviceKey(device.kind, device.index)}`, sourceIndex, null);
  }

  /** Closes stream meters whose stream or source is no longer among `streams`. */
  retain(streams: Iterable<PaStream>): void {
    const live = new Set<string>();
    for (const stream of streams) live.add(meterKeyOf(stream));
    for (const key of [...this.meters.keys()]) if (!live.has(key) && !key.startsWith(DEVICE_METER)) this.close(key);
  }

  private read(key: string, sourceIndex: number, sinkInputIndex: number | null): number {
    const now = Date.now();
    let meter = this.meters.get(key);
    if (!meter) {
      if (!this.connection) return 0;
      meter = { stream: null, peak: 0, receivedAt: 0, askedAt: now, closed: false };
      this.meters.set(key, meter);
      this.open(this.connection, key, meter, sourceIndex, sinkInputIndex);
      this.scheduleSweep();
    }
    meter.askedAt = now;
    return now - meter.receivedAt <= this.staleMs ? meter.peak : 0;
  }

  private open(connection: PulseConnection, key: string, meter: Meter, sourceIndex: number, sinkInputIndex: number | null): void {
    connection.openPeakStream(sourceIndex, sinkInputIndex).then(
      (stream) => {
        // A stream the server kills (its sink-input ended) or a dead connection ends the meter.
        stream.on('error', () => this.forget(key, meter));
        stream.on('close', () => this.forget(key, meter));
        if (meter.closed) {
          stream.destroy();
          return;
        }
        meter.stream = stream;
        stream.on('data', (chunk: Buffer) => {
          if (chunk.length < 4) return;
          meter.peak = Math.min(1, Math.max(0, Math.abs(chunk.readFloatLE(chunk.length - 4))));
          meter.receivedAt = Date.now();
        });
      },
      () => this.forget(key, meter),
    );
  }

  private forget(key: string, meter: Meter): void {
    meter.closed = true;
    if (this.meters.get(key) === meter) this.meters.delete(key);
  }

  private close(key: string): void {
    const meter = this.meters.get(key);
    if (!meter) return;
    this.forget(key, meter);
    meter.stream?.destroy();
  }

  private closeAll(): void {
    for (const key of [...this.meters.keys()]) this.close(key);
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
  }

  private scheduleSweep(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      const now = Date.now();
      for (const [key, meter] of this.meters) if (now - meter.askedAt > this.idleMs) this.close(key);
      if (this.meters.size > 0) this.scheduleSweep();
    }, this.idleMs / 2);
    this.sweepTimer.unref();
  }
}
