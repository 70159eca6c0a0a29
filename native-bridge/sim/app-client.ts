// What a client app may do to sessions (engine.client(pid)): R16, only to its own sessions
// (its process-specific ones, or cross-process ones it has a stream in), and never to the
// System Sounds session. Guarantees: a session the app cannot reach is E_NOTFOUND, one it
// may not control E_ACCESSDENIED, and neither changes anything; otherwise the session's
// own answer (session.ts). Event contexts default to GUID_NULL.
import { GUID_NULL } from '../com/guid';
import type { HResult } from '../com/hresult';
import { E_ACCESSDENIED, E_NOTFOUND } from '../com/hresult';
import type { SessionCore } from './session';

export interface SimAppClient {
  readonly pid: number;
  setDisplayName(sessionId: string, displayName: string, eventContext?: string): HResult;
  setIconPath(sessionId: string, iconPath: string, eventContext?: string): HResult;
  setGroupingParam(sessionId: string, groupingParam: string, eventContext?: string): HResult;
  setVolume(sessionId: string, volume: number, eventContext?: string): HResult;
  setMute(sessionId: string, muted: boolean, eventContext?: string): HResult;
  setChannelVolume(sessionId: string, channel: number, volume: number, eventContext?: string): HResult;
}

/** R16: an app controls its own sessions only, and never System Sounds. */
export function mayControl(pid: number, session: SessionCore): boolean {
  if (session.isSystemSounds) return false;
  if (!session.identity.crossProcess) return session.identity.pid === pid;
  return [...session.streams].some((stream) => stream.pid === pid);
}

/** The app's client; `reach` finds a session the app can name (and throws once the process is gone). */
export function appClient(pid: number, reach: (sessionId: string) => SessionCore | undefined): SimAppClient {
  const act = (sessionId: string, change: (session: SessionCore) => HResult): HResult => {
    const session = reach(sessionId);
    if (!session) return E_NOTFOUND;
    if (!mayControl(pid, session)) return E_ACCESSDENIED;
    return change(session);
  };
  return {
    pid,
    setDisplayName: (sessionId, displayName, eventContext = GUID_NULL) =>
      act(sessionId, (session) => session.setDisplayName(displayName, eventContext)),
    setIconPath: (sessionId, iconPath, eventContext = GUID_NULL) => act(sessionId, (session) => session.setIconPath(iconPath, eventContext)),
    setGroupingParam: (sessionId, groupingParam, eventContext = GUID_NULL) =>
      act(sessionId, (session) => session.setGroupingParam(groupingParam, eventContext)),
    setVolume: (sessionId, volume, eventContext = GUID_NULL) => act(sessionId, (session) => session.setVolume(volume, eventContext)),
    setMute: (sessionId, muted, eventContext = GUID_NULL) => act(sessionId, (session) => session.setMute(muted, eventContext)),
    setChannelVolume: (sessionId, channel, volume, eventContext = GUID_NULL) =>
      act(sessionId, (session) => session.setChannelVolume(channel, volume, eventContext)),
  };
}
