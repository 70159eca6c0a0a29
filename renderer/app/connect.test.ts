import { describe, expect, it } from 'vitest';
import type { CommandResult, MixerApi, ServerMessage } from '../../core/contract';
import { createMixerStore } from '../state/store';
import { eventsMessage, volumeEvent } from '../testing/events';
import { snapshot } from '../testing/fixtures';
import { createTimelineStore } from '../timeline/timeline-store';
import { connectMixer } from './connect';

class FakeApi implements MixerApi {
  listener: ((message: ServerMessage) => void) | null = null;
  request(): Promise<CommandResult> {
    return Promise.resolve({ ok: true });
  }
  onMessage(listener: (message: ServerMessage) => void): () => void {
    this.listener = listener;
    return () => (this.listener = null);
  }
}

describe('connectMixer', () => {
  it('feeds every message to the mixer and to the timeline, until stopped', () => {
    const api = new FakeApi();
    const store = createMixerStore();
    const timeline = createTimelineStore();
    const idle: (() => void)[] = [];
    const stop = connectMixer(api, { store, timeline, idle: (run) => idle.push(run) });
    api.listener?.(snapshot());
    api.listener?.(eventsMessage(volumeEvent('firefox', 0.2)));
    expect(store.getState().sessions.size).toBe(2);
    // The snapshot, and what came after it, reach the timeline once the page is idle, in order.
    expect(timeline.getState().recorded).toBe(0);
    expect(idle).toHaveLength(1);
    idle[0]?.();
    expect(timeline.getState().ring.at(0)?.changes).toEqual([{ field: 'volume', old: '0.45', new: '0.20' }]);
    api.listener?.(eventsMessage(volumeEvent('firefox', 0.3)));
    expect(timeline.getState().recorded).toBe(2);
    stop();
    expect(api.listener).toBeNull();
  });
});
