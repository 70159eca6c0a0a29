// What the main process knows of the mixer (for the tray icon, its device menu and the
// hotkeys): its own subscribed client's view, kept by the same patch rules as a window's,
// its icons looked up in its own icon table (core/icon-table.ts) as a window's are.
import type { ServerMessage } from '../../core/contract';
import { IconTableReader } from '../../core/icon-table';
import type { DeviceRecord, SessionRecord } from '../../native-bridge/types';
import { patchDevices, patchSessions } from '../../renderer/state/apply-patch';

export class MixerMirror {
  readonly devices = new Map<string, DeviceRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  private readonly listeners = new Set<() => void>();
  private readonly icons = new IconTableReader();

  /** `onProblem`: what was wrong with the message's icons (it is applied all the same, those sessions without their icon). */
  constructor(private readonly onProblem: (problem: string) => void = (problem) => console.warn(`sndmix: ${problem}`)) {}

  apply(wire: ServerMessage): void {
    const { message, problems } = this.icons.resolve(wire);
    for (const problem of problems) this.onProblem(problem);
    switch (message.type) {
      case 'snapshot':
        this.devices.clear();
        this.sessions.clear();
        for (const device of message.devices) this.devices.set(device.id, device);
        for (const session of message.sessions) this.sessions.set(session.id, session);
        break;
      case 'patch':
        patchDevices(this.devices, message);
        patchSessions(this.sessions, message);
        break;
      case 'peaks':
      case 'events':
        return;
    }
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
