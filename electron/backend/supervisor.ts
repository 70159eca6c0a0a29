// The main process's side of the backend process: starts it, relays each window's
// commands and messages, and restarts it when it dies. The windows are told (status),
// their pending requests fail with the reason, and after the restart every client that
// had subscribed gets a fresh snapshot (and its meters back) without asking.
// No Electron here: the process is made by an injected spawn (utilityProcess.fork in the
// app, child_process.fork in the tests), so this logic is tested with a real process.
import type { BackendInfo, Command, CommandResult, ServerMessage } from '../../core/contract';
import { parseCommand } from '../../core/contract';
import type { HostClient } from '../../core/engine-host';
import type { FromBackend, ToBackend } from './protocol';
import { parseFromBackend } from './protocol';

export interface BackendChild {
  readonly pid: number | undefined;
  postMessage(message: ToBackend): void;
  onMessage(listener: (data: unknown) => void): void;
  /** `detail` says how it ended (exit code, signal). */
  onExit(listener: (detail: string) => void): void;
  kill(): void;
}

export type BackendStatus =
  | { state: 'starting' }
  | { state: 'running'; backend: BackendInfo; pid: number | undefined }
  | { state: 'restarting'; reason: string; inMs: number }
  | { state: 'stopped' };

export interface SupervisorOptions {
  spawn: () => BackendChild;
  onStatus?: (status: BackendStatus) => void;
  /** Waits before each successive restart; the last repeats. */
  restartDelaysMs?: readonly number[];
  /** A process that ran this long starts the delays over when it dies. */
  stableAfterMs?: number;
  /** How long close() waits for the process to flush before killing it. */
  closeTimeoutMs?: number;
}

interface Client {
  send: (message: ServerMessage) => void;
  /** The client's subscribe command, replayed as it was after a restart; null before it subscribed. */
  subscription: Command | null;
  meters: boolean;
}

type Reply = FromBackend & { type: 'result' | 'e2e-result' | 'foreground-result' };

interface Pending {
  resolve: (value: Reply) => void;
}

const DEFAULT_DELAYS = [250, 1000, 2000, 5000];

export class BackendSupervisor {
  private child: BackendChild | null = null;
  private running = false;
  private readonly clients = new Map<number, Client>();
  private readonly pending = new Map<number, Pending>();
  private nextClientId = 1;
  private nextRequestId = 1;
  private attempt = 0;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;
  private currentStatus: BackendStatus = { state: 'starting' };
  private readyWaiters: { resolve: (info: BackendInfo) => void; reject: (error: Error) => void }[] = [];
  private lastFatal: string | null = null;

  constructor(private readonly options: SupervisorOptions) {}

  get status(): BackendStatus {
    return this.currentStatus;
  }

  /** Starts the process; resolves once its backend is open (whether on the first try or after restarts). */
  start(): Promise<BackendInfo> {
    const ready = new Promise<BackendInfo>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    if (!this.child && !this.restartTimer) this.spawn();
    return ready;
  }

  /** The same shape as EngineHost.connect: what the IPC transport needs. */
  connect(send: (message: ServerMessage) => void): HostClient {
    const id = this.nextClientId++;
    const client: Client = { send, subscription: null, meters: false };
    this.clients.set(id, client);
    this.post({ type: 'connect', clientId: id });
    return {
      handle: (input) => this.handle(id, client, input),
      close: () => {
        if (this.clients.delete(id)) this.post({ type: 'disconnect', clientId: id });
      },
    };
  }

  /** Runs a test's function against the sim world in the backend process (builds with the e2e door only). */
  async runE2E(source: string, arg: unknown): Promise<unknown> {
    if (!this.running) throw new Error(`the backend process is not running (${this.currentStatus.state})`);
    const reply = await this.request((requestId) => ({ type: 'e2e', requestId, source, arg }));
    if (reply.type !== 'e2e-result') throw new Error('the backend process answered an e2e request with a command result');
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  }

  /** The app in front and its sessions, as the backend process sees them. */
  async foreground(): Promise<FromBackend & { type: 'foreground-result' }> {
    if (!this.running) return { type: 'foreground-result', requestId: 0, ok: false, reason: this.downReason() };
    const reply = await this.request((requestId) => ({ type: 'foreground', requestId }));
    if (reply.type === 'foreground-result') return reply;
    return { type: 'foreground-result', requestId: 0, ok: false, reason: reply.type === 'result' && !reply.result.ok ? reply.result.error.message : 'unexpected answer' };
  }

  /** The backend process's id, while there is one. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    for (const waiter of this.readyWaiters.splice(0)) waiter.reject(new Error('the backend supervisor was closed'));
    if (child) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill();
          resolve();
        }, this.options.closeTimeoutMs ?? 3000);
        child.onExit(() => {
          clearTimeout(timer);
          resolve();
        });
        if (this.running) child.postMessage({ type: 'close' });
        else child.kill();
      });
    }
    this.child = null;
    this.running = false;
    this.setStatus({ state: 'stopped' });
  }

  private async handle(id: number, client: Client, input: unknown): Promise<CommandResult> {
    const parsed = parseCommand(input);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const { command } = parsed;
    if (!this.running) {
      // Kept for the restart: the window gets its snapshot and meters when the backend is back.
      if (command.type === 'subscribe') client.subscription = command;
      if (command.type === 'set-meters') client.meters = command.enabled;
      if (command.type === 'subscribe' || command.type === 'set-meters') return { ok: true };
      return { ok: false, error: { code: 'backend-error', message: this.downReason() } };
    }
    const reply = await this.request((requestId) => ({ type: 'command', clientId: id, requestId, command }));
    if (reply.type !== 'result') return { ok: false, error: { code: 'backend-error', message: 'the backend process answered a command with an e2e result' } };
    if (reply.result.ok) {
      if (command.type === 'subscribe') client.subscription = command;
      if (command.type === 'set-meters') client.meters = command.enabled;
    }
    return reply.result;
  }

  private downReason(): string {
    const status = this.currentStatus;
    if (status.state === 'restarting') return `the audio backend stopped (${status.reason}) and is restarting`;
    if (status.state === 'stopped') return 'SndMix is closing';
    return 'the audio backend is starting';
  }

  private request(make: (requestId: number) => ToBackend): Promise<Reply> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pending.set(requestId, { resolve });
      this.post(make(requestId));
    });
  }

  private post(message: ToBackend): void {
    if (this.running && this.child) this.child.postMessage(message);
  }

  private spawn(): void {
    this.restartTimer = null;
    this.setStatus({ state: 'starting' });
    let child: BackendChild;
    try {
      child = this.options.spawn();
    } catch (error) {
      this.onChildGone(`could not start the backend process: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.child = child;
    this.startedAt = Date.now();
    this.lastFatal = null;
    child.onMessage((data) => {
      if (this.child === child) this.onChildMessage(child, data);
    });
    child.onExit((detail) => {
      if (this.child !== child) return;
      this.child = null;
      this.onChildGone(this.lastFatal ?? `the backend process exited (${detail})`);
    });
  }

  private onChildMessage(child: BackendChild, data: unknown): void {
    const message = parseFromBackend(data);
    if (!message) {
      console.error('sndmix: ignored a malformed message from the backend process');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.running = true;
        for (const [clientId, client] of this.clients) {
          child.postMessage({ type: 'connect', clientId });
          // Internal requests: their results matter to nobody (a failure shows in the window as no snapshot).
          if (client.subscription) child.postMessage({ type: 'command', clientId, requestId: 0, command: client.subscription });
          if (client.meters) child.postMessage({ type: 'command', clientId, requestId: 0, command: { type: 'set-meters', enabled: true } });
        }
        this.setStatus({ state: 'running', backend: message.backend, pid: child.pid });
        for (const waiter of this.readyWaiters.splice(0)) waiter.resolve(message.backend);
        return;
      case 'message':
        this.clients.get(message.clientId)?.send(message.message);
        return;
      case 'result':
      case 'e2e-result':
      case 'foreground-result': {
        const pending = this.pending.get(message.requestId);
        this.pending.delete(message.requestId);
        pending?.resolve(message);
        return;
      }
      case 'fatal':
        this.lastFatal = message.message;
        console.error(`sndmix: ${message.message}`);
        return;
      case 'closed':
        return;
    }
  }

  private onChildGone(reason: string): void {
    this.running = false;
    for (const [requestId, pending] of this.pending) {
      pending.resolve({ type: 'result', requestId, result: { ok: false, error: { code: 'backend-error', message: `the audio backend stopped: ${reason}` } } });
    }
    this.pending.clear();
    if (this.closing) return;
    if (Date.now() - this.startedAt >= (this.options.stableAfterMs ?? 30_000)) this.attempt = 0;
    const delays = this.options.restartDelaysMs ?? DEFAULT_DELAYS;
    const inMs = delays[Math.min(this.attempt, delays.length - 1)] ?? 1000;
    this.attempt += 1;
    this.setStatus({ state: 'restarting', reason, inMs });
    this.restartTimer = setTimeout(() => this.spawn(), inMs);
  }

  private setStatus(status: BackendStatus): void {
    this.currentStatus = status;
    this.options.onStatus?.(status);
  }
}
