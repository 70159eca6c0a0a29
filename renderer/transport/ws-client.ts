// Web mode transport: the MixerApi over one WebSocket to the SndMix server, with
// request/reply matching, reconnection with backoff, and the connection's own state
// (subscription, meters) replayed after every reconnect so callers never notice. A socket
// the server closed because this page fell behind (WS_CLOSE_BEHIND) reconnects at once:
// the replayed subscription brings a fresh snapshot in place of what was missed.
import type { Command, CommandResult, MixerApi, ServerMessage, WsServerFrame } from '../../core/contract';
import { WS_CLOSE_BEHIND } from '../../core/contract';
import type { Translate } from '../i18n/i18n';

/** The part of the browser WebSocket this client uses (tests pass a fake). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  send(data: string): void;
  close(): void;
}

export type SocketStatus = 'connecting' | 'open' | 'reconnecting';

export interface WsClientOptions {
  url: string;
  createSocket?: (url: string) => WebSocketLike;
  /** First retry delay; doubles per failed attempt up to maxRetryMs. */
  initialRetryMs?: number;
  maxRetryMs?: number;
  /** A request with no reply by then fails instead of hanging. */
  replyTimeoutMs?: number;
  /** Words the client's own messages (failures, problems): the UI's language, or connection-text.ts. */
  text: Translate;
}

const OPEN = 1;

interface PendingRequest {
  command: Command;
  resolve(result: CommandResult): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Builds the socket address from the page address and the access token (see page-token.ts). */
export function webSocketUrl(location: Pick<Location, 'protocol' | 'host'>, token: string | null): string | null {
  if (!token) return null;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}

export class WebSocketMixerApi implements MixerApi {
  private readonly url: string;
  private readonly createSocket: (url: string) => WebSocketLike;
  private readonly initialRetryMs: number;
  private readonly maxRetryMs: number;
  private readonly replyTimeoutMs: number;
  private readonly text: Translate;

  private socket: WebSocketLike | null = null;
  private status: SocketStatus = 'connecting';
  private failedAttempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** The last socket was closed by the server because this page fell behind. */
  private fellBehind = false;
  private nextRequestId = 0;
  private readonly pending = new Map<number, PendingRequest>();

  // Connection state the server forgets when the socket drops: replayed on reconnect.
  /** The last subscribe command, replayed as it was (it says what the subscription carries). */
  private subscription: Command | null = null;
  private metersEnabled: boolean | null = null;
  /** Callers of subscribe/set-meters made while offline: answered by the replay. */
  private awaitingReplay: { command: Command; resolve(result: CommandResult): void }[] = [];

  private readonly messageListeners = new Set<(message: ServerMessage) => void>();
  private readonly statusListeners = new Set<(status: SocketStatus) => void>();
  private readonly problemListeners = new Set<(problem: string) => void>();

  constructor(options: WsClientOptions) {
    this.url = options.url;
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.initialRetryMs = options.initialRetryMs ?? 500;
    this.maxRetryMs = options.maxRetryMs ?? 10_000;
    this.replyTimeoutMs = options.replyTimeoutMs ?? 10_000;
    this.text = options.text;
    this.connect();
  }

  request(command: Command): Promise<CommandResult> {
    if (this.closed) return Promise.resolve(failure(this.text('connection.closed')));
    if (command.type === 'subscribe') this.subscription = command;
    if (command.type === 'set-meters') this.metersEnabled = command.enabled;

    if (this.socket?.readyState !== OPEN || this.status !== 'open') {
      if (isReplayed(command)) {
        return new Promise((resolve) => this.awaitingReplay.push({ command, resolve }));
      }
      return Promise.resolve(failure(this.text('connection.notConnected')));
    }
    return this.send(command);
  }

  onMessage(listener: (message: ServerMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onStatus(listener: (status: SocketStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Frames that could not be matched or read: never dropped silently. */
  onProblem(listener: (problem: string) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  /** Skips the backoff wait (the banner's "Retry now"). */
  reconnectNow(): void {
    if (this.closed || this.status === 'open' || this.socket) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.failPending(this.text('connection.closed'));
    for (const waiter of this.awaitingReplay.splice(0)) waiter.resolve(failure(this.text('connection.closedWhileWaiting')));
  }

  private connect(): void {
    const socket = this.createSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.failedAttempts = 0;
      this.setStatus('open');
      this.replayConnectionState();
      if (this.fellBehind) {
        this.fellBehind = false;
        // Said once connected, so it stays up: what happened while behind is not in the timeline.
        this.problem(this.text('connection.fellBehind'));
      }
    };
    socket.onmessage = (event) => {
      if (socket === this.socket) this.receive(event.data);
    };
    // No onerror: a browser WebSocket error is always followed by close, which does the work.
    socket.onclose = (event) => {
      if (socket === this.socket) this.dropped(event.code === WS_CLOSE_BEHIND);
    };
  }

  private dropped(fellBehind: boolean): void {
    this.socket = null;
    this.failPending(this.text('connection.droppedBeforeAnswer'));
    if (this.closed) return;
    this.setStatus('reconnecting');
    this.fellBehind = fellBehind;
    const delay = fellBehind ? 0 : Math.min(this.maxRetryMs, this.initialRetryMs * 2 ** this.failedAttempts);
    if (!fellBehind) this.failedAttempts += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private replayConnectionState(): void {
    const waiters = this.awaitingReplay.splice(0);
    const answer = (type: Command['type'], result: CommandResult) => {
      for (const waiter of waiters) if (waiter.command.type === type) waiter.resolve(result);
    };
    // subscribe first: the server answers with a snapshot, then patches, peaks and events.
    if (this.subscription) void this.send(this.subscription).then((result) => answer('subscribe', result));
    if (this.metersEnabled !== null) {
      void this.send({ type: 'set-meters', enabled: this.metersEnabled }).then((result) =>
        answer('set-meters', result),
      );
    }
  }

  private send(command: Command): Promise<CommandResult> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        resolve(failure(this.text('connection.noAnswer', { seconds: this.replyTimeoutMs / 1000 }), 'backend-error'));
      }, this.replyTimeoutMs);
      this.pending.set(requestId, { command, resolve, timer });
      this.socket?.send(JSON.stringify({ requestId, command }));
    });
  }

  private receive(data: unknown): void {
    let frame: WsServerFrame;
    try {
      if (typeof data !== 'string') throw new Error('not a text frame');
      frame = JSON.parse(data) as WsServerFrame;
      if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') throw new Error('no type');
    } catch (error) {
      this.problem(this.text('connection.unreadable', { reason: (error as Error).message }));
      return;
    }
    if (frame.type === 'result') {
      this.settle(frame.requestId, frame.result);
      return;
    }
    for (const listener of this.messageListeners) listener(frame);
  }

  private settle(requestId: number | null, result: CommandResult): void {
    const request = requestId === null ? undefined : this.pending.get(requestId);
    if (!request) {
      // requestId null: the server could not read the request at all. An unknown id is a
      // reply that came after its timeout; only a failure there still tells the user something.
      if (!result.ok) this.problem(this.text('connection.requestProblem', { message: result.error.message }));
      return;
    }
    this.pending.delete(requestId as number);
    clearTimeout(request.timer);
    request.resolve(result);
  }

  private failPending(message: string): void {
    for (const [requestId, request] of this.pending) {
      clearTimeout(request.timer);
      this.pending.delete(requestId);
      // subscribe/set-meters are answered again by the replay after reconnecting.
      if (isReplayed(request.command) && !this.closed) this.awaitingReplay.push(request);
      else request.resolve(failure(message));
    }
  }

  private setStatus(status: SocketStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private problem(message: string): void {
    for (const listener of this.problemListeners) listener(message);
  }
}

function isReplayed(command: Command): boolean {
  return command.type === 'subscribe' || command.type === 'set-meters';
}

function failure(message: string, code: 'disconnected' | 'backend-error' = 'disconnected'): CommandResult {
  return { ok: false, error: { code, message } };
}
