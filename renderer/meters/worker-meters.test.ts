import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Command, CommandResult, ServerMessage } from '../../core/contract';
import { METER_ROWS } from './meter-drawing';
import type { PeaksSocket } from './worker-meters';
import { WorkerMeters } from './worker-meters';

/** A canvas whose context records the filled rows and the colours of its fill. */
function fakeCanvas() {
  const drawn: { rows: number; stops: string[] | string }[] = [];
  const canvas = { width: 300, height: 150, getContext: () => context };
  const context = {
    canvas,
    fillStyle: '' as unknown,
    clearRect: () => undefined,
    createLinearGradient: () => {
      const stops: string[] = [];
      return {
        stops,
        addColorStop: (_offset: number, colour: string) => {
          if (!colour) throw new SyntaxError('not a colour');
          stops.push(colour);
        },
      };
    },
    fillRect(_x: number, _y: number, _width: number, rows: number) {
      const fill = this.fillStyle as { stops?: string[] } | string;
      drawn.push({ rows, stops: typeof fill === 'string' ? fill : [...(fill.stops ?? [])] });
    },
  };
  return { canvas, drawn, level: () => (drawn.at(-1)?.rows ?? 0) / METER_ROWS };
}

/** A worker on a hand-moved clock, with a recording socket; `frames`: its beforeFrame callbacks, run by the test. */
function world(frames?: (() => void)[]) {
  let time = 0;
  const timers: (() => void)[] = [];
  const problems: string[] = [];
  const sockets: { url: string; commands: Command[]; closed: boolean; deliver: (message: ServerMessage) => void }[] = [];
  const meters = new WorkerMeters({
    now: () => time,
    setTimer: (callback) => timers.push(callback),
    clearTimer: () => undefined,
    report: (problem) => problems.push(problem),
    beforeFrame: frames && ((callback) => frames.push(callback)),
    connect: (url): PeaksSocket => {
      const listeners: ((message: ServerMessage) => void)[] = [];
      const socket = { url, commands: [] as Command[], closed: false, deliver: (message: ServerMessage) => listeners.forEach((listener) => listener(message)) };
      sockets.push(socket);
      return {
        request: (command) => {
          socket.commands.push(command);
          return Promise.resolve<CommandResult>({ ok: true });
        },
        onMessage: (listener) => {
          listeners.push(listener);
          return () => undefined;
        },
        close: () => {
          socket.closed = true;
        },
      };
    },
  });
  const advance = (ms: number) => {
    time += ms;
    for (const timer of timers.splice(0)) timer();
  };
  return { meters, problems, sockets, advance };
}

const COLOURS = { type: 'colours', low: '#0f7b0f', high: '#3aa13a', text: 'black' };

describe('the meter worker', () => {
  afterEach(() => vi.restoreAllMocks());

  it('opens its own socket for peaks alone, asks for meters as the page says, and draws the peaks that socket brings', () => {
    const { meters, sockets } = world();
    const { canvas, level } = fakeCanvas();
    meters.receive({ type: 'peaks-socket', url: 'ws://127.0.0.1:1/ws?token=t' });
    meters.receive({ type: 'meters', enabled: true });
    meters.receive(COLOURS);
    meters.receive({ type: 'add', id: 1, canvas, keys: ['player'] });
    meters.receive({ type: 'visible', id: 1, visible: true });
    expect(sockets.map((socket) => [socket.url, socket.commands])).toEqual([
      ['ws://127.0.0.1:1/ws?token=t', [{ type: 'subscribe', messages: 'peaks' }, { type: 'set-meters', enabled: true }]],
    ]);
    sockets[0]?.deliver({ type: 'peaks', peaks: { player: 60 }, full: true });
    expect(level()).toBe(0.6);
    expect([canvas.width, canvas.height]).toEqual([1, METER_ROWS]);
  });

  it('names a message it cannot read in a console error and ignores it, drawing nothing', () => {
    const { meters, problems } = world();
    const { canvas, drawn } = fakeCanvas();
    meters.receive({ type: 'add', id: 1, canvas, keys: ['player'] });
    meters.receive({ type: 'visible', id: 1, visible: true });
    const drawsBefore = drawn.length;
    meters.receive(null);
    meters.receive({ type: 'draw-everything' });
    meters.receive({ type: 'peaks', message: { type: 'peaks', peaks: { player: 'loud' } } });
    meters.receive({ type: 'add', id: 'two', canvas, keys: ['player'] });
    meters.receive({ type: 'visible', id: 1 });
    expect(problems).toEqual([
      'meter worker: ignored a message from the page: not an object',
      'meter worker: ignored a message from the page: unknown type "draw-everything"',
      'meter worker: ignored a message from the page: a peaks message with missing or malformed fields',
      'meter worker: ignored a message from the page: a add message with missing or malformed fields',
      'meter worker: ignored a message from the page: a visible message with missing or malformed fields',
    ]);
    expect(drawn.length).toBe(drawsBefore);
  });

  it('draws a meter only while the page says its track is on screen, and at its current level when it comes on', () => {
    const { meters } = world();
    const { canvas, drawn, level } = fakeCanvas();
    meters.receive({ type: 'add', id: 1, canvas, keys: ['player'] });
    meters.receive({ type: 'peaks', message: { type: 'peaks', peaks: { player: 40 } } });
    expect(drawn).toEqual([]);
    meters.receive({ type: 'visible', id: 1, visible: true });
    expect(level()).toBe(0.4);
    meters.receive({ type: 'visible', id: 1, visible: false });
    const draws = drawn.length;
    meters.receive({ type: 'peaks', message: { type: 'peaks', peaks: { player: 90 } } });
    expect(drawn.length).toBe(draws);
  });

  it('redraws every meter in new colours without a peaks message, and falls back to the text colour for unparsable ones', () => {
    const { meters } = world();
    const { canvas, drawn } = fakeCanvas();
    meters.receive(COLOURS);
    meters.receive({ type: 'add', id: 1, canvas, keys: ['player'] });
    meters.receive({ type: 'visible', id: 1, visible: true });
    meters.receive({ type: 'peaks', message: { type: 'peaks', peaks: { player: 50 } } });
    expect(drawn.at(-1)?.stops).toEqual(['#0f7b0f', '#3aa13a']);
    meters.receive({ ...COLOURS, low: '#6ccb5f', high: '#9fe092' });
    expect(drawn.at(-1)).toEqual({ rows: METER_ROWS / 2, stops: ['#6ccb5f', '#9fe092'] });
    meters.receive({ type: 'colours', low: '', high: '', text: 'CanvasText' });
    expect(drawn.at(-1)?.stops).toBe('CanvasText');
  });

  it('forgets a removed meter, and a new peaks channel closes the old one', () => {
    const { meters, sockets, advance } = world();
    const { canvas, drawn } = fakeCanvas();
    meters.receive({ type: 'peaks-socket', url: 'ws://a/ws' });
    meters.receive({ type: 'add', id: 1, canvas, keys: ['player'] });
    meters.receive({ type: 'visible', id: 1, visible: true });
    meters.receive({ type: 'remove', id: 1 });
    const draws = drawn.length;
    sockets[0]?.deliver({ type: 'peaks', peaks: { player: 80 } });
    advance(100);
    expect(drawn.length).toBe(draws);
    meters.receive({ type: 'peaks-socket', url: 'ws://b/ws' });
    expect(sockets.map((socket) => socket.closed)).toEqual([true, false]);
  });

  it('draws the peaks that arrive before a frame together in it, the last level winning', () => {
    const frames: (() => void)[] = [];
    const { meters } = world(frames);
    const { canvas, drawn, level } = fakeCanvas();
    meters.receive({ type: 'add', id: 1, canvas, keys: ['player'] });
    meters.receive({ type: 'visible', id: 1, visible: true });
    meters.receive({ type: 'peaks', message: { type: 'peaks', peaks: { player: 30 } } });
    meters.receive({ type: 'peaks', message: { type: 'peaks', peaks: { player: 70 } } });
    expect(drawn).toEqual([]);
    expect(frames).toHaveLength(1);
    frames.splice(0).forEach((frame) => frame());
    expect(level()).toBe(0.7);
  });
});

