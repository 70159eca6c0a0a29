// SimEngine: an in-memory model of Windows Core Audio's session layer (the session rules
// of docs/session-rules.md), built in layers, each file one job:
//  - endpoints.ts: devices, defaults, endpoint volume and its notifications;
//  - session-lifecycle.ts: sessions on the devices, System Sounds, kept settings, and the
//    session managers of the mixer's view;
//  - streams.ts: processes and their streams, and where a stream plays (R26);
//  - this file: the client-app API (R16, R17, app-client.ts), the meters (peaks.ts), close.
// Three faces: the scenario API (devices, processes, streams) that tests, the demo and the
// QA scenario runner drive, where a wrong handle or a malformed spec throws
// SimScenarioError (scenario-checks.ts) and what the modelled Windows call answers with an
// HRESULT is returned; the client-app API (client(pid)); and the mixer's view
// (activateSessionManager, sessionsOf, endpoint watches), which sim/system.ts serves to
// the coreaudio logic as the OS seam (coreaudio/system.ts).
import type { SimAppClient } from './app-client';
import { appClient } from './app-client';
import { endpointPeak, sessionPeak } from './peaks';
import type { SessionCore } from './session';
import type { SimStreamsOptions } from './streams';
import { SimStreams } from './streams';

export type SimEngineOptions = SimStreamsOptions;

export class SimEngine extends SimStreams {
  // ---- The client app (R16, R17) ---------------------------------------------------

  client(pid: number): SimAppClient {
    this.requireProcess(pid);
    return appClient(pid, (sessionId) => {
      this.requireProcess(pid);
      return this.sessionReachableBy(pid, sessionId);
    });
  }

  // ---- Meters (IAudioMeterInformation) ----------------------------------------------

  peakOf(session: SessionCore): number {
    return sessionPeak(session, this.clock.now(), this.ducking.lowers(session));
  }

  devicePeakOf(deviceId: string): number {
    const device = this.devices.get(deviceId);
    if (!device) return 0;
    return endpointPeak([...device.sessions.values()].map((session) => this.peakOf(session)), device);
  }

  /** Stops every timer and writes pending settings. The engine is not used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.stopTimers();
    await Promise.all([this.store?.close(), this.appEndpoints.close()]);
  }

  private sessionReachableBy(pid: number, sessionId: string): SessionCore | undefined {
    const live = this.sessions.get(sessionId);
    if (live) return live;
    // A disconnected session is no longer listed, but its app still holds streams in it.
    for (const stream of this.streams.values()) {
      if (stream.pid === pid && stream.session.id === sessionId) return stream.session;
    }
    return undefined;
  }
}
