import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandResult, ServerMessage, WsServerFrame } from '../../core/contract';
import { IconTableWriter } from '../../core/contract';
import { WS_CLOSE_BEHIND } from '../../core/contract';
import type { Translate } from '../i18n/i18n';
import { createI18n, inEnglish, translator } from '../i18n/i18n';
import { snapshot } from '../testing/fixtures';
import type { SocketStatus, WebSocketLike } from './ws-client';
import { WebSocketMixerApi, webSocketUrl } from './ws-client';

/** A WebSocket the test drives: it records what the client sends and plays the server. */
class FakeWebSocket implements WebSocketLike {
  static all: FakeWebSocket[] = [];
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  readonly sent: { requestId: number; command: { type: string } }[] = [];

  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }

  static get latest(): FakeWebSocket {
    const socket = FakeWebSocket.all.at(-1);
    if (!socket) throw new Error('no socket was created');
    return socket;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as FakeWebSocket['sent'][number]);
  }

  close(): void {
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.(Object.assign(new Event('close'), { code }) as CloseEvent);
  }

  receive(frame: WsServerFrame | string): void {
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  reply(index: number, result: CommandResult): void {
    const request = this.sent[index];
    if (!request) throw new Error(`nothing was sent at ${index}`);
    this.receive({ type: 'result', requestId: request.requestId, result });
  }
}

const OK: CommandResult = { ok: true };

function createClient(text?: Translate) {
  const client = new WebSocketMixerApi({
    url: 'ws://host/ws?token=t',
    createSocket: (url) => new FakeWebSocket(url),
    initialRetryMs: 100,
    maxRetryMs: 1000,
    replyTimeoutMs: 5000,
    text: text ?? inEnglish,
  });
  const statuses: SocketStatus[] = [];
  const problems: string[] = [];
  const messages: ServerMessage[] = [];
  client.onStatus((status) => statuses.push(status));
  client.onProblem((problem) => problems.push(problem));
  client.onMessage((message) => messages.push(message));
  return { client, statuses, problems, messages };
}

/** A client whose socket is open (the server accepted the connection). */
function connectedClient() {
  const created = createClient();
  const socket = FakeWebSocket.latest;
  socket.open();
  return { ...created, socket };
}

/** The client's socket, open, with the client subscribed on it (the server answered). */
function subscribedSocket(client: WebSocketMixerApi): FakeWebSocket {
  void client.request({ type: 'subscribe' });
  const socket = FakeWebSocket.latest;
  socket.open();
  socket.reply(0, OK);
  return socket;
}

describe('webSocketUrl', () => {
  it('builds ws(s)://host/ws with the page token', () => {
    expect(webSocketUrl({ protocol: 'http:', host: 'localhost:5123' }, 'a b')).toBe('ws://localhost:5123/ws?token=a%20b');
    expect(webSocketUrl({ protocol: 'https:', host: 'mixer.lan' }, 'xyz')).toBe('wss://mixer.lan/ws?token=xyz');
  });

  it('is null without a token', () => {
    expect(webSocketUrl({ protocol: 'http:', host: 'localhost' }, null)).toBeNull();
    expect(webSocketUrl({ protocol: 'http:', host: 'localhost' }, '')).toBeNull();
  });
});

describe('WebSocketMixerApi', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  it('reconnects at once and resubscribes (a fresh snapshot) when the server closed it for falling behind', () => {
    const { client, problems } = createClient();
    const first = subscribedSocket(client);
    first.drop(WS_CLOSE_BEHIND);
    vi.advanceTimersByTime(0);
    const second = FakeWebSocket.latest;
    expect(second).not.toBe(first);
    expect(problems).toEqual([]);
    second.open();
    expect(second.sent.map((frame) => frame.command.type)).toEqual(['subscribe']);
    expect(problems).toEqual([expect.stringMatching(/fell behind/)]);
  });

  it('words its own failures and problems in the language it is given', async () => {
    const { client, problems } = createClient(translator(createI18n('de')));
    const offline = await client.request({ type: 'set-volume', sessionIds: ['s'], volume: 0.5 });
    expect(offline).toEqual({ ok: false, error: { code: 'disconnected', message: 'Nicht mit dem SndMix-Server verbunden; neuer Versuch läuft.' } });
    const first = subscribedSocket(client);
    first.drop(WS_CLOSE_BEHIND);
    vi.advanceTimersByTime(0);
    FakeWebSocket.latest.open();
    expect(problems).toEqual([expect.stringMatching(/^Diese Seite kam mit dem SndMix-Server nicht mit/)]);
  });

  it('waits out the backoff after an ordinary drop', () => {
    createClient();
    const first = FakeWebSocket.latest;
    first.open();
    first.drop();
    vi.advanceTimersByTime(0);
    expect(FakeWebSocket.latest).toBe(first);
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.latest).not.toBe(first);
  });

  it('matches replies to requests by id, in any order', async () => {
    const { client, socket } = connectedClient();
    expect(socket.url).toBe('ws://host/ws?token=t');
    const volume = client.request({ type: 'set-volume', sessionIds: ['a'], volume: 0.5 });
    const mute = client.request({ type: 'set-mute', sessionIds: ['a'], muted: true });
    expect(socket.sent.map((frame) => frame.command.type)).toEqual(['set-volume', 'set-mute']);
    expect(socket.sent[0]?.requestId).not.toBe(socket.sent[1]?.requestId);

    const failed: CommandResult = { ok: false, error: { code: 'unknown-session', message: 'no session a' } };
    socket.reply(1, failed);
    socket.reply(0, OK);
    await expect(volume).resolves.toEqual(OK);
    await expect(mute).resolves.toEqual(failed);
  });

  it('delivers server messages to listeners', () => {
    const { messages, socket } = connectedClient();
    socket.receive(new IconTableWriter().encode(snapshot()));
    socket.receive({ type: 'peaks', peaks: { a: 0.5 } });
    expect(messages.map((message) => message.type)).toEqual(['snapshot', 'peaks']);
  });

  it('subscribes once connected when asked before the socket opened', async () => {
    const { client } = createClient();
    const subscribed = client.request({ type: 'subscribe' });
    const socket = FakeWebSocket.latest;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent.map((frame) => frame.command.type)).toEqual(['subscribe']);
    socket.reply(0, OK);
    await expect(subscribed).resolves.toEqual(OK);
  });

  it('re-subscribes after a reconnect to what the subscription carried (a page whose peaks go to its meter worker)', () => {
    const { client } = createClient();
    void client.request({ type: 'subscribe', messages: 'state' });
    const first = FakeWebSocket.latest;
    first.open();
    first.reply(0, OK);
    first.drop();
    vi.advanceTimersByTime(100);
    FakeWebSocket.latest.open();
    expect(FakeWebSocket.latest.sent.map((frame) => frame.command)).toEqual([{ type: 'subscribe', messages: 'state' }]);
  });

  it('reconnects with growing delays and re-subscribes first, then restores the meters', () => {
    const { client, statuses } = createClient();
    const first = subscribedSocket(client);
    void client.request({ type: 'set-meters', enabled: true });
    first.reply(1, OK);

    first.drop();
    expect(statuses).toEqual(['open', 'reconnecting']);
    vi.advanceTimersByTime(99);
    expect(FakeWebSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.all).toHaveLength(2);

    FakeWebSocket.latest.drop();
    vi.advanceTimersByTime(199);
    expect(FakeWebSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.all).toHaveLength(3);

    const third = FakeWebSocket.latest;
    third.open();
    expect(statuses).toEqual(['open', 'reconnecting', 'open']);
    expect(third.sent.map((frame) => frame.command)).toEqual([
      { type: 'subscribe' },
      { type: 'set-meters', enabled: true },
    ]);

    // A successful connection resets the backoff.
    third.drop();
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.all).toHaveLength(4);
  });

  it('caps the backoff delay', () => {
    createClient();
    for (let attempt = 0; attempt < 6; attempt += 1) {
      FakeWebSocket.latest.drop();
      vi.advanceTimersByTime(1000);
    }
    expect(FakeWebSocket.all).toHaveLength(7);
  });

  it('fails requests cut off by a drop, and refuses new ones until reconnected', async () => {
    const { client, socket } = connectedClient();
    const cutOff = client.request({ type: 'set-volume', sessionIds: ['a'], volume: 0.2 });
    socket.drop();
    await expect(cutOff).resolves.toMatchObject({ ok: false, error: { code: 'disconnected' } });
    await expect(client.request({ type: 'set-mute', sessionIds: ['a'], muted: true })).resolves.toMatchObject({
      ok: false,
      error: { code: 'disconnected' },
    });
  });

  it('answers a subscription cut off by a drop with the replayed one', async () => {
    const { client, socket } = connectedClient();
    const subscribed = client.request({ type: 'subscribe' });
    socket.drop();
    vi.advanceTimersByTime(100);
    const next = FakeWebSocket.latest;
    next.open();
    next.reply(0, OK);
    await expect(subscribed).resolves.toEqual(OK);
  });

  it('fails a request the server never answers', async () => {
    const { client } = connectedClient();
    const reply = client.request({ type: 'set-device-mute', deviceId: 'd', muted: true });
    vi.advanceTimersByTime(5000);
    await expect(reply).resolves.toMatchObject({ ok: false, error: { message: expect.stringContaining('5 s') } });
  });

  it('reports unreadable frames and unmatched failures instead of dropping them silently', () => {
    const { problems, messages, socket } = connectedClient();
    socket.receive('{not json');
    socket.receive('{"no":"type"}');
    socket.receive({
      type: 'result',
      requestId: null,
      result: { ok: false, error: { code: 'bad-request', message: 'invalid JSON' } },
    });
    expect(messages).toEqual([]);
    expect(problems).toEqual([
      expect.stringContaining('unreadable'),
      expect.stringContaining('unreadable'),
      expect.stringContaining('invalid JSON'),
    ]);
  });

  it('ignores events from a socket it already replaced', () => {
    const { messages, socket: old } = connectedClient();
    old.drop();
    vi.advanceTimersByTime(100);
    old.receive({ type: 'peaks', peaks: {} });
    expect(messages).toEqual([]);
  });

  it('retries at once on demand, and stops for good when closed', async () => {
    const { client } = createClient();
    FakeWebSocket.latest.drop();
    client.reconnectNow();
    expect(FakeWebSocket.all).toHaveLength(2);
    client.close();
    FakeWebSocket.latest.drop();
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.all).toHaveLength(2);
    await expect(client.request({ type: 'subscribe' })).resolves.toMatchObject({ ok: false });
  });
});
