// Icons sent once per client: a session's icon (a data URL, in the sim a third of the
// record) goes to a client the first time one of its sessions uses it, and sessions refer
// to it by a small key (contract.ts WireSession). The engine host keeps one writer per
// connected client; each consumer of the messages (the renderer, the main process's
// mirror) keeps one reader. Guarantees:
// - a snapshot starts a fresh table on both sides and carries all of it, so a resync
//   (reconnect, a backend restart, a client that fell behind and missed patches) never
//   depends on what an earlier message sent;
// - a patch carries exactly the icons its sessions use that the client has not been sent
//   since its last snapshot;
// - the reader checks what it is sent: an unknown key or a malformed entry is a problem
//   it words (the session then shows no icon), never a throw, and the rest of the message
//   is applied as sent.
import type {
  IconEntries,
  IconKey,
  ResolvedMessage,
  ServerMessage,
  SessionChange,
  WireSession,
  WireSessionChange,
} from './contract';
import type { SessionRecord } from '../native-bridge/types';

type ResolvedSnapshot = Extract<ResolvedMessage, { type: 'snapshot' }>;
type ResolvedPatch = Extract<ResolvedMessage, { type: 'patch' }>;
type WireSnapshot = Extract<ServerMessage, { type: 'snapshot' }>;
type WirePatch = Extract<ServerMessage, { type: 'patch' }>;

/** The engine host's side for one client: which icons it has sent, by key. */
export class IconTableWriter {
  private keys = new Map<string, IconKey>();

  /** The message as this client is sent it. */
  encode(message: ResolvedMessage): ServerMessage {
    switch (message.type) {
      case 'snapshot':
        return this.snapshot(message);
      case 'patch':
        return this.patch(message);
      case 'peaks':
      case 'events':
        return message;
    }
  }

  /** A fresh table holding every icon the snapshot's sessions use. */
  private snapshot(message: ResolvedSnapshot): WireSnapshot {
    this.keys = new Map();
    const icons: IconEntries = {};
    const sessions = message.sessions.map((session) => this.wireSession(session, icons));
    return { ...message, sessions, icons };
  }

  /** The icons the patch adds to the table, if any. */
  private patch(message: ResolvedPatch): WirePatch {
    const icons: IconEntries = {};
    const added = message.sessions.added.map((session) => this.wireSession(session, icons));
    const changed = message.sessions.changed.map((change) => this.wireChange(change, icons));
    const sessions = { ...message.sessions, added, changed };
    return Object.keys(icons).length > 0 ? { ...message, sessions, icons } : { ...message, sessions };
  }

  private wireSession(session: SessionRecord, icons: IconEntries): WireSession {
    const { icon, ...rest } = session;
    return { ...rest, iconKey: this.keyOf(icon, icons) };
  }

  private wireChange({ id, changes }: SessionChange, icons: IconEntries): WireSessionChange {
    if (!('icon' in changes)) return { id, changes: changes as WireSessionChange['changes'] };
    const { icon, ...rest } = changes;
    return { id, changes: { ...rest, iconKey: this.keyOf(icon ?? null, icons) } };
  }

  /** The icon's key, adding it to `icons` (what this message sends) when the client has not had it. */
  private keyOf(icon: string | null, icons: IconEntries): IconKey | null {
    if (icon === null) return null;
    let key = this.keys.get(icon);
    if (key === undefined) {
      key = this.keys.size;
      this.keys.set(icon, key);
      icons[key] = icon;
    }
    return key;
  }
}

/** What reading one message came to: the message with its icons looked up, and what was wrong with it (one line each). */
export interface Resolved {
  message: ResolvedMessage;
  problems: string[];
}

/** A consumer's side: the icons its host has sent since the last snapshot. */
export class IconTableReader {
  private icons = new Map<IconKey, string>();

  resolve(message: ServerMessage): Resolved {
    switch (message.type) {
      case 'snapshot': {
        this.icons = new Map();
        const problems = this.take(message.icons);
        const { icons: _icons, ...rest } = message;
        return { message: { ...rest, sessions: message.sessions.map((session) => this.session(session, problems)) }, problems };
      }
      case 'patch': {
        const problems = this.take(message.icons);
        const { icons: _icons, ...rest } = message;
        const sessions = {
          ...message.sessions,
          added: message.sessions.added.map((session) => this.session(session, problems)),
          changed: message.sessions.changed.map((change) => this.change(change, problems)),
        };
        return { message: { ...rest, sessions }, problems };
      }
      case 'peaks':
      case 'events':
        return { message, problems: [] };
    }
  }

  /** Adds a message's icon entries, checking each (the sender is another process). */
  private take(entries: unknown): string[] {
    if (entries === undefined) return [];
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) return ['the icon table is not an object of icons by key'];
    const problems: string[] = [];
    for (const [name, icon] of Object.entries(entries)) {
      const key = Number(name);
      if (!Number.isSafeInteger(key) || key < 0 || String(key) !== name) problems.push(`icon key "${name}" is not a whole number`);
      else if (typeof icon !== 'string') problems.push(`icon ${key} is not a string`);
      else this.icons.set(key, icon);
    }
    return problems;
  }

  private session(session: WireSession, problems: string[]): SessionRecord {
    const { iconKey, ...rest } = session;
    return { ...rest, icon: this.lookUp(iconKey, session.id, problems) };
  }

  private change({ id, changes }: WireSessionChange, problems: string[]): SessionChange {
    if (!('iconKey' in changes)) return { id, changes: changes as SessionChange['changes'] };
    const { iconKey, ...rest } = changes;
    return { id, changes: { ...rest, icon: this.lookUp(iconKey ?? null, id, problems) } };
  }

  private lookUp(key: IconKey | null, sessionId: string, problems: string[]): string | null {
    if (key === null) return null;
    const icon = this.icons.get(key);
    if (icon === undefined) problems.push(`session ${sessionId} refers to icon ${String(key)}, which this client was never sent: shown without it`);
    return icon ?? null;
  }
}
