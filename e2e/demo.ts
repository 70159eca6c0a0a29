// What the sim's demo scenario (native-bridge/sim/demo.ts) shows, as a person reads it.
export const DEMO = {
  speakers: 'Speakers (Realtek(R) Audio)',
  headset: 'Headset Earphone (Corsa USB Headset)',
  microphone: 'Microphone (Realtek(R) Audio)',
  headsetMicrophone: 'Headset Microphone (Corsa USB Headset)',
  systemSounds: 'System Sounds',
  mediaPlayer: 'Blue in Green - Miles Davis - Melodia',
  /** Two browser instances, grouped into one strip (named by the one with a window). */
  browser: 'Lo-fi beats to study to - VidTube - Corvid',
  game: 'Starfall Odyssey',
  voiceChat: 'Parley - #general',
} as const;
