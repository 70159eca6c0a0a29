// The backend process's side: open the backend, run one engine host, serve the main
// process's clients over the parent port. The process exits when told to close, when its
// parent goes, or (by crashing) on a defect; the main process's supervisor restarts it.
import type { HostClient } from '../../core/engine-host';
import { EngineHost } from '../../core/engine-host';
import { openBackend, parseBackendName, windowNotice } from '../../native-bridge/open-backend';
import { E2E_DOOR_BUILT_IN } from '../build-flags';
import { foregroundApp, parentLookup, sessionsOfApp } from './foreground';
import type { BackendProcessConfig, FromBackend, ToBackend } from './protocol';
import { ToBackendSchema } from './protocol';

/** Electron's process.parentPort, or a forked Node child's IPC channel. */
export interface ParentPort {
  post(message: FromBackend): void;
  onMessage(listener: (data: unknown) => void): void;
}

interface Opened {
  host: EngineHost;
  runE2E: ((source: string, arg: unknown) => Promise<unknown>) | null;
}

async function open(config: BackendProcessConfig): Promise<Opened> {
  const name = config.backend === null ? undefined : parseBackendName(config.backend);
  if (E2E_DOOR_BUILT_IN && config.e2e) {
    const { createE2EHook, openE2EBackend } = await import('../test-hooks');
    const opened = await openE2EBackend({ name, stateDir: config.stateDir });
    const host = await EngineHost.start(opened.backend, { notice: windowNotice(opened), stateDir: config.stateDir });
    const hook = createE2EHook(host, opened.sim);
    return { host, runE2E: (source, arg) => hook.run(source, arg) };
  }
  const opened = await openBackend({
    name,
    stateDir: config.stateDir,
    live: true,
    onWarning: (message) => console.warn(`sndmix: ${message}`),
  });
  // The window's notice also says what start-up had to warn about (e.g. a state file kept aside).
  // Preferences and profiles live beside the sessions' settings.
  return { host: await EngineHost.start(opened.backend, { notice: windowNotice(opened), stateDir: config.stateDir }), runE2E: null };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function serveBackend(port: ParentPort, config: BackendProcessConfig, exit: (code: number) => void): Promise<void> {
  const clients = new Map<number, HostClient>();
  const opening = open(config);
  // Listening at once: whatever the main process sends while the backend opens waits for it, in order.
  port.onMessage((data) => {
    void opening.then((opened) => handle(opened, data), () => undefined);
  });

  let opened: Opened;
  try {
    opened = await opening;
  } catch (error) {
    port.post({ type: 'fatal', message: `could not open the audio backend: ${messageOf(error)}` });
    exit(1);
    return;
  }
  port.post({ type: 'ready', backend: opened.host.backendInfo });

  async function handle({ host, runE2E }: Opened, data: unknown): Promise<void> {
    const parsed = ToBackendSchema.safeParse(data);
    if (!parsed.success) {
      console.error(`sndmix backend: ignored a malformed message from the main process: ${parsed.error.issues[0]?.message}`);
      return;
    }
    const message: ToBackend = parsed.data;
    switch (message.type) {
      case 'connect':
        clients.get(message.clientId)?.close();
        clients.set(
          message.clientId,
          host.connect((server) => {
            // Handed to the main process, whose per-window outbox applies the backpressure.
            port.post({ type: 'message', clientId: message.clientId, message: server });
            return true;
          }),
        );
        return;
      case 'disconnect':
        clients.get(message.clientId)?.close();
        clients.delete(message.clientId);
        return;
      case 'command': {
        const client = clients.get(message.clientId);
        const result = client
          ? await client.handle(message.command)
          : ({ ok: false, error: { code: 'bad-request', message: `no client ${message.clientId}` } } as const);
        port.post({ type: 'result', requestId: message.requestId, result });
        return;
      }
      case 'e2e':
        if (!runE2E) {
          port.post({ type: 'e2e-result', requestId: message.requestId, ok: false, error: 'this backend process has no e2e door' });
          return;
        }
        try {
          port.post({ type: 'e2e-result', requestId: message.requestId, ok: true, value: await runE2E(message.source, message.arg) });
        } catch (error) {
          port.post({ type: 'e2e-result', requestId: message.requestId, ok: false, error: messageOf(error) });
        }
        return;
      case 'foreground': {
        const app = await foregroundApp().catch((error: unknown) => ({ ok: false as const, reason: `cannot tell the app in front: ${messageOf(error)}` }));
        port.post(
          app.ok
            ? { type: 'foreground-result', requestId: message.requestId, ...app, sessions: sessionsOfApp(app, host.sessions(), parentLookup()) }
            : { type: 'foreground-result', requestId: message.requestId, ...app },
        );
        return;
      }
      case 'close':
        for (const client of clients.values()) client.close();
        clients.clear();
        // Let the backend flush persisted settings and release OS handles before exit.
        await host.close().catch((error: unknown) => console.error(`sndmix backend: closing failed: ${messageOf(error)}`));
        port.post({ type: 'closed' });
        exit(0);
        return;
    }
  }
}
