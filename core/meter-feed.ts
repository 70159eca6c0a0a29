// The peak meters' feed: while any client shows meters (set-meters) and the backend has
// them (capabilities.peakMeters), the backend's peaks are read every intervalMs and each
// such client is sent what changed since what it holds. Peak levels travel as whole steps
// (contract.ts peakStep); an absent id means silence (0). Guarantees:
// - no backend peak reads while no client shows meters, none after stop();
// - a client's first message after it turned meters on, after a snapshot (startOver) or
//   after a message its transport dropped is full: it replaces every level the client holds;
// - otherwise a client gets only the levels that changed, and no message when none did;
// - a client that turns meters off is first sent zeros for the levels it holds, so its
//   meters fall to silence instead of freezing;
// - a failed read is reported through onError and skipped: the next tick tries again.
import type { AudioBackend, Capabilities } from '../native-bridge/types';
import type { KnownRecords } from '../native-bridge/session-events';
import type { ServerMessage } from './contract';
import { peakStep } from './contract';
import { messageOf } from './command-errors';

/** What the feed keeps of one client. */
export interface MeterClient {
  /** False when the transport did not deliver the message (a congested client). */
  send: (message: ServerMessage) => boolean;
  /** It subscribed to messages that include peaks (contract.ts Subscription 'all' or 'peaks'). */
  takesPeaks: boolean;
  meters: boolean;
  /** The quantised peak levels this client holds (absent: 0); null when unknown (the next message is full). */
  sentPeaks: Map<string, number> | null;
  /** The same for device levels; both are null together after a snapshot or a dropped message. */
  sentDevicePeaks: Map<string, number> | null;
}

export interface MeterFeedOptions {
  backend: AudioBackend;
  capabilities: Capabilities;
  /** The host's store: whose peaks are read. */
  known: KnownRecords;
  clients: Iterable<MeterClient>;
  intervalMs: number;
  onError: (message: string) => void;
}

export class MeterFeed {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: MeterFeedOptions) {}

  /** The client's meters are on or off (set-meters). */
  setMeters(client: MeterClient, enabled: boolean): void {
    // Meters that stop showing fall to silence: what the client holds matches what it was sent.
    if (!enabled && client.sentPeaks && client.meters && client.takesPeaks) {
      const zeros = peakChanges(client.sentPeaks, new Map());
      const deviceZeros = client.sentDevicePeaks ? peakChanges(client.sentDevicePeaks, new Map()) : null;
      if (zeros || deviceZeros) sendPeaksTo(client, zeros ?? {}, deviceZeros, false);
    }
    if (enabled && !client.meters) client.sentPeaks = null;
    client.meters = enabled;
    this.update();
  }

  /** A snapshot starts the client's meters over: the next peaks message is full. */
  startOver(client: MeterClient): void {
    client.sentPeaks = null;
  }

  /** Starts or stops reading as clients come, go and turn meters on or off. */
  update(): void {
    const wanted = this.options.capabilities.peakMeters && [...this.options.clients].some((client) => client.meters);
    if (wanted && !this.timer && !this.stopped) {
      const tick = async () => {
        await this.sendPeaks();
        if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs).unref();
      };
      this.timer = setTimeout(tick, this.options.intervalMs).unref();
    } else if (!wanted && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    // A tick still reading sees no timer and does not schedule the next one.
    this.timer = null;
  }

  private async sendPeaks(): Promise<void> {
    const { backend, capabilities, known } = this.options;
    const ids = [...known.sessions.values()]
      .filter((session) => session.state === 'active' && !session.disconnected)
      .map((session) => session.id);
    const deviceIds = capabilities.devicePeakMeters && backend.getDevicePeaks
      ? [...known.devices.values()].filter((device) => device.state === 'active').map((device) => device.id)
      : [];
    let read: Record<string, number>;
    let readDevices: Record<string, number>;
    try {
      [read, readDevices] = await Promise.all([
        ids.length > 0 ? backend.getPeaks(ids) : {},
        deviceIds.length > 0 ? (backend.getDevicePeaks?.(deviceIds) ?? {}) : {},
      ]);
    } catch (error) {
      this.options.onError(`reading peaks failed: ${messageOf(error)}`);
      return;
    }
    const steps = peakSteps(read);
    const deviceSteps = peakSteps(readDevices);
    for (const client of this.options.clients) {
      if (!client.meters || !client.takesPeaks) continue;
      if (!client.sentPeaks || !client.sentDevicePeaks) {
        client.sentPeaks = new Map(steps);
        client.sentDevicePeaks = new Map(deviceSteps);
        sendPeaksTo(client, Object.fromEntries(steps), deviceSteps.size > 0 ? Object.fromEntries(deviceSteps) : null, true);
        continue;
      }
      const changed = peakChanges(client.sentPeaks, steps);
      const changedDevices = peakChanges(client.sentDevicePeaks, deviceSteps);
      if (changed || changedDevices) sendPeaksTo(client, changed ?? {}, changedDevices, false);
    }
  }
}

/** A peaks message the transport dropped leaves the client's levels unknown: the next one is full. */
function sendPeaksTo(client: MeterClient, peaks: Record<string, number>, devicePeaks: Record<string, number> | null, full: boolean): void {
  const message: ServerMessage = { type: 'peaks', peaks, ...(devicePeaks ? { devicePeaks } : {}), ...(full ? { full } : {}) };
  if (!client.send(message)) client.sentPeaks = null;
}

/** Readings as the whole steps the peaks message carries; silent ones left out (absent: 0). */
function peakSteps(read: Record<string, number>): Map<string, number> {
  const steps = new Map<string, number>();
  for (const [id, peak] of Object.entries(read)) {
    const step = peakStep(peak);
    if (step > 0) steps.set(id, step);
  }
  return steps;
}

/**
 * What a client must be told to go from the levels it was sent to `now` (absent: 0), or
 * null when nothing changed; `sent` becomes `now`.
 */
function peakChanges(sent: Map<string, number>, now: ReadonlyMap<string, number>): Record<string, number> | null {
  let changed: Record<string, number> | null = null;
  for (const [id, step] of now) {
    if (sent.get(id) === step) continue;
    (changed ??= {})[id] = step;
    sent.set(id, step);
  }
  for (const id of sent.keys()) {
    if (now.has(id)) continue;
    (changed ??= {})[id] = 0;
    sent.delete(id);
  }
  return changed;
}
