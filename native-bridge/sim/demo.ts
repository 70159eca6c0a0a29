// The default demo world: a desk with speakers and a USB headset, and the apps one
// expects in a volume mixer. Every session exists as soon as the scenario is loaded;
// with `live`, streams start and stop over time on the engine's clock.
import type { SimEngine } from './engine';
import { BROWSER_ICON, GAME_ICON, MEDIA_PLAYER_ICON, VOICE_CHAT_ICON } from './icons';

export const DEMO_DEVICE_IDS = {
  speakers: '{0.0.0.00000000}.{3b7a6e52-8d0c-4f1e-9a55-2c41d6f0e101}',
  headset: '{0.0.0.00000000}.{9f04c1d7-52ab-4c89-b3e6-7a18e2d4c202}',
  microphone: '{0.0.1.00000000}.{6d2e8b13-a4f7-4e06-8c91-5b3fa07e1303}',
  headsetMicrophone: '{0.0.1.00000000}.{c18f5a29-3e6d-47b2-9d04-e6a7b21c5404}',
} as const;

export const DEMO_PIDS = {
  mediaPlayer: 4120,
  browser: 6200,
  /** The browser's second instance (another window's process): same session GUID and grouping param. */
  browserSecondInstance: 6248,
  game: 7344,
  voiceChat: 8012,
} as const;

const BROWSER_SESSION_GUID = '{5E2B1F4A-7C3D-4B8E-9A61-0D2C8F7E3B15}';
const BROWSER_GROUPING_PARAM = '{B7D3A9E1-44C2-4F0B-8E5D-61A2C9F03D7E}';

/** Live timings (ms): long enough to watch, and the game's pause outlasts the default 30 s expiry. */
const LIVE = {
  systemSoundEveryMs: 12_000,
  systemSoundMs: 400,
  browserToggleMs: 7_000,
  callStartsAfterMs: 5_000,
  callMs: 20_000,
  betweenCallsMs: 15_000,
  gamePlaysMs: 40_000,
  gamePausesMs: 45_000,
  trackMs: 45_000,
  betweenTracksMs: 2_000,
} as const;

export interface SimDemo {
  readonly devices: typeof DEMO_DEVICE_IDS;
  readonly pids: typeof DEMO_PIDS;
  /** Stream ids, to start and stop them by hand. */
  readonly streams: {
    mediaPlayer: number;
    browser: number;
    browserSecondInstance: number;
    game: number;
    voiceChatRender: number;
    voiceChatCapture: number;
  };
  /** Session ids, as the sim backend reports them. */
  readonly sessions: {
    systemSounds: string;
    mediaPlayer: string;
    browser: string;
    browserSecondInstance: string;
    game: string;
    voiceChatRender: string;
    voiceChatCapture: string;
  };
  /** Stops the live schedule (no-op when not live). */
  stop(): void;
}

export function loadDemoScenario(engine: SimEngine, options: { live: boolean }): SimDemo {
  const ids = DEMO_DEVICE_IDS;
  engine.addDevice({
    id: ids.speakers,
    name: 'Speakers (Realtek(R) Audio)',
    flow: 'render',
    defaultFor: ['console', 'multimedia'],
    volume: 0.8,
    channelCount: 2,
  });
  engine.addDevice({
    id: ids.headset,
    name: 'Headset Earphone (Corsa USB Headset)',
    flow: 'render',
    defaultFor: ['communications'],
    volume: 0.6,
    channelCount: 2,
  });
  engine.addDevice({
    id: ids.microphone,
    name: 'Microphone (Realtek(R) Audio)',
    flow: 'capture',
    defaultFor: ['console', 'multimedia'],
    volume: 0.7,
    channelCount: 2,
  });
  engine.addDevice({
    id: ids.headsetMicrophone,
    name: 'Headset Microphone (Corsa USB Headset)',
    flow: 'capture',
    defaultFor: ['communications'],
    volume: 0.9,
    channelCount: 1,
  });

  const pids = DEMO_PIDS;
  engine.startProcess({
    pid: pids.mediaPlayer,
    exePath: 'C:\\Program Files\\Melodia\\Melodia.exe',
    windowTitle: 'Blue in Green - Miles Davis - Melodia',
    fileDescription: 'Melodia Music Player',
    icon: MEDIA_PLAYER_ICON,
  });
  for (const pid of [pids.browser, pids.browserSecondInstance]) {
    engine.startProcess({
      pid,
      exePath: 'C:\\Program Files\\Corvid\\Application\\corvid.exe',
      windowTitle: pid === pids.browser ? 'Lo-fi beats to study to - VidTube - Corvid' : '',
      fileDescription: 'Corvid Browser',
      icon: BROWSER_ICON,
    });
  }
  engine.startProcess({
    pid: pids.game,
    exePath: 'D:\\Games\\Starfall Odyssey\\StarfallOdyssey.exe',
    windowTitle: 'Starfall Odyssey',
    fileDescription: 'Starfall Odyssey Game Client',
    icon: GAME_ICON,
  });
  engine.startProcess({
    pid: pids.voiceChat,
    exePath: 'C:\\Users\\Demo\\AppData\\Local\\Parley\\Parley.exe',
    windowTitle: 'Parley - #general',
    fileDescription: 'Parley Voice Chat',
    icon: VOICE_CHAT_ICON,
  });

  // The media player's default session (GUID_NULL), named by its window title.
  const mediaPlayer = engine.openStream({ pid: pids.mediaPlayer, start: true });
  // Two browser instances: two sessions (R2) that one strip controls (R20).
  const browser = engine.openStream({
    pid: pids.browser,
    sessionGuid: BROWSER_SESSION_GUID,
    groupingParam: BROWSER_GROUPING_PARAM,
    start: true,
  });
  const browserSecondInstance = engine.openStream({
    pid: pids.browserSecondInstance,
    sessionGuid: BROWSER_SESSION_GUID,
    groupingParam: BROWSER_GROUPING_PARAM,
  });
  // The game names its session itself (R17).
  const game = engine.openStream({ pid: pids.game, displayName: 'Starfall Odyssey', iconPath: GAME_ICON, start: true });
  // The voice chat app uses the communications devices; a call ducks the others (R23).
  const voiceChatRender = engine.openStream({ pid: pids.voiceChat, communications: true });
  const voiceChatCapture = engine.openStream({ pid: pids.voiceChat, flow: 'capture', communications: true });

  const systemSounds = engine.systemSoundsSessionId(ids.speakers);
  if (systemSounds === null) throw new Error('the demo speakers have no System Sounds session');

  const streams = {
    mediaPlayer: mediaPlayer.streamId,
    browser: browser.streamId,
    browserSecondInstance: browserSecondInstance.streamId,
    game: game.streamId,
    voiceChatRender: voiceChatRender.streamId,
    voiceChatCapture: voiceChatCapture.streamId,
  };
  const stop = options.live ? runLive(engine, streams) : () => undefined;
  return {
    devices: ids,
    pids,
    streams,
    sessions: {
      systemSounds,
      mediaPlayer: mediaPlayer.sessionId,
      browser: browser.sessionId,
      browserSecondInstance: browserSecondInstance.sessionId,
      game: game.sessionId,
      voiceChatRender: voiceChatRender.sessionId,
      voiceChatCapture: voiceChatCapture.sessionId,
    },
    stop,
  };
}

/** The live schedule; returns what stops it. Steps skip streams a scenario has since released or invalidated. */
function runLive(engine: SimEngine, streams: SimDemo['streams']): () => void {
  const timers = new Set<unknown>();
  let stopped = false;
  const after = (delayMs: number, step: () => void) => {
    const timer = engine.clock.setTimeout(() => {
      timers.delete(timer);
      if (!stopped) step();
    }, delayMs);
    timers.add(timer);
  };
  const usable = (streamIds: readonly number[]) =>
    streamIds.every((id) => {
      const stream = engine.getStream(id);
      return stream !== undefined && !stream.invalidated;
    });
  /** Runs the streams for runMs, stops them for pauseMs, again and again. */
  const cycle = (streamIds: readonly number[], firstAfterMs: number, runMs: number, pauseMs: number) => {
    const flip = (run: boolean) => {
      if (!usable(streamIds)) return;
      for (const id of streamIds) {
        if (run) engine.startStream(id);
        else engine.stopStream(id);
      }
      after(run ? runMs : pauseMs, () => flip(!run));
    };
    after(firstAfterMs, () => flip(!engine.getStream(streamIds[0] as number)?.running));
  };

  cycle([streams.browserSecondInstance], LIVE.browserToggleMs, LIVE.browserToggleMs, LIVE.browserToggleMs);
  cycle([streams.voiceChatRender, streams.voiceChatCapture], LIVE.callStartsAfterMs, LIVE.callMs, LIVE.betweenCallsMs);
  cycle([streams.game], LIVE.gamePlaysMs, LIVE.gamePlaysMs, LIVE.gamePausesMs);
  cycle([streams.mediaPlayer], LIVE.trackMs, LIVE.trackMs, LIVE.betweenTracksMs);
  const ding = () => {
    if (engine.getDefaultDevice('render', 'console') !== null) engine.playSystemSound(undefined, LIVE.systemSoundMs);
    after(LIVE.systemSoundEveryMs, ding);
  };
  after(LIVE.systemSoundEveryMs, ding);

  return () => {
    stopped = true;
    for (const timer of timers) engine.clock.clearTimeout(timer);
    timers.clear();
  };
}
