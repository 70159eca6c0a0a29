import { describe, expect, it } from 'vitest';
import type { Command, CommandResult, MixerApi, ServerMessage } from '../../core/contract';
import { IconTableWriter } from '../../core/contract';
import { createMixerStore } from '../state/store';
import { eventsMessage, volumeEvent } from '../testing/events';
import { patch, session, snapshot } from '../testing/fixtures';
import { createTimelineStore } from '../timeline/timeline-store';
import { connectMixer } from './connect';

class FakeApi implements MixerApi {
  listener: ((message: ServerMessage) => void) | null = null;
  readonly commands: Command['type'][] = [];
  request(command: Command): Promise<CommandResult> {
    this.commands.push(command.type);
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
    const paint: (() => void)[] = [];
    const stop = connectMixer(api, { store, timeline, idle: (run) => idle.push(run), paint: (run) => paint.push(run) });
    api.listener?.(new IconTableWriter().encode(snapshot()));
    api.listener?.(eventsMessage(volumeEvent('firefox', 0.2)));
    expect(store.getState().sessions.size).toBe(2);
    // The snapshot, and what came after it, reach the timeline once the page is idle, in order.
    expect(timeline.getState().recorded).toBe(0);
    expect(idle).toHaveLength(1);
    idle[0]?.();
    expect(timeline.getState().ring.at(0)?.changes).toEqual([{ field: 'volume', old: '0.45', new: '0.20' }]);
    // Later ones too: in an idle period while the timeline is not on screen, after the paint while it is.
    api.listener?.(eventsMessage(volumeEvent('firefox', 0.3)));
    expect(timeline.getState().recorded).toBe(1);
    idle.shift();
    idle[0]?.();
    expect(timeline.getState().recorded).toBe(2);
    store.getState().setShowTimeline(true);
    api.listener?.(eventsMessage(volumeEvent('firefox', 0.4)));
    expect(paint).toHaveLength(1);
    paint[0]?.();
    expect(timeline.getState().recorded).toBe(3);
    stop();
    expect(api.listener).toBeNull();
  });

  it("looks each session's icon up in the connection's icon table", () => {
    const api = new FakeApi();
    const store = createMixerStore();
    connectMixer(api, { store });
    const host = new IconTableWriter();
    api.listener?.(host.encode(snapshot({ sessions: [session('a', { icon: 'data:image/svg+xml,a' })] })));
    api.listener?.(host.encode(patch({ added: [session('b', { icon: 'data:image/svg+xml,a' })] })));
    expect(store.getState().sessions.get('b')?.icon).toBe('data:image/svg+xml,a');
    expect(store.getState().errors).toEqual([]);
  });

  it('a patch with an icon it was never sent: applied without that icon, said so, and a fresh snapshot asked for', () => {
    const api = new FakeApi();
    const store = createMixerStore();
    connectMixer(api, { store });
    api.listener?.(new IconTableWriter().encode(snapshot({ sessions: [] })));
    const { icon: _icon, ...rest } = session('b', { volume: 0.7 });
    api.listener?.({ type: 'patch', devices: { upserted: [], removed: [] }, sessions: { added: [{ ...rest, iconKey: 3 }], changed: [], removed: [] } });
    expect(store.getState().sessions.get('b')).toMatchObject({ volume: 0.7, icon: null });
    expect(store.getState().errors.map((notice) => notice.message).join()).toContain('session b refers to icon 3, which this client was never sent');
    expect(api.commands).toEqual(['subscribe', 'subscribe']);
  });
});
