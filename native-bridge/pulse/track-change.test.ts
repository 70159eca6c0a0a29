// A player's track change, live: GStreamer (pulsesink) renames its stream after the new
// title tag, and the pulse backend says so with one streams-changed event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendEvent } from '../types';
import { createPulseBackend } from './backend';
import { EventRecorder } from './testing/events';
import { playTracks, shouldSkipGstTests } from './testing/gst-player';
import type { PulseTestServer } from './testing/test-server';
import { shouldSkipPulseTests, startPulseTestServer } from './testing/test-server';

describe.skipIf(shouldSkipPulseTests() || shouldSkipGstTests())('pulse backend following what a stream plays', () => {
  let server: PulseTestServer;

  beforeAll(async () => {
    server = await startPulseTestServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("follows a GStreamer player's track change (media.name) with one streams-changed event", async () => {
    const player = await playTracks(server, { appName: 'Track Player', titles: ['Blue in Green', 'So What'] });
    const backend = await createPulseBackend({ server: server.server });
    try {
      const [session] = (await backend.listSessions('sink:sndmix_test_sink')).filter((s) => s.displayName === 'Track Player');
      expect(session?.mediaTitles).toEqual(['Blue in Green']);
      const recorder = new EventRecorder(backend);
      await player.next();
      const changed = await recorder.waitFor(
        (event): event is Extract<BackendEvent, { type: 'streams-changed' }> => event.type === 'streams-changed',
      );
      expect(changed).toMatchObject({ type: 'streams-changed', sessionId: session?.id, mediaTitles: ['So What'] });
      // The title is all that changed: no name, level or state event rides along.
      expect(recorder.events.filter((event) => 'sessionId' in event && event.sessionId === session?.id)).toEqual([changed]);
      expect((await backend.listSessions('sink:sndmix_test_sink')).find((s) => s.id === session?.id)?.mediaTitles).toEqual(['So What']);
      recorder.stop();
    } finally {
      await backend.close();
      await player.stop();
    }
  });
});
