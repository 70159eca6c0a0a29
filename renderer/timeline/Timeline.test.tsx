import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LoggedEvent } from '../../core/contract';
import { EVENT_TYPES } from '../../core/contract';
import { App } from '../components/App';
import { MixerPanel } from '../components/MixerPanel';
import { SPEAKERS, patch, session, snapshot } from '../testing/fixtures';
import { T0, eventsMessage, logged, volumeEvent } from '../testing/events';
import { renderMixer } from '../testing/render-mixer';
import { formatClock } from './format';
import { Timeline } from './Timeline';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function rows(): HTMLElement[] {
  const body = screen.getByRole('rowgroup', { name: 'Events, oldest first' });
  return within(body).queryAllByRole('row');
}

function rowTexts(): string[] {
  return rows().map((row) =>
    within(row)
      .getAllByRole('cell')
      .map((cell) => cell.textContent)
      .join(' | '),
  );
}

function renderTimeline(options: { timelineSize?: number } = {}) {
  return renderMixer(<Timeline />, [snapshot()], options);
}

describe('Timeline', () => {
  it('shows each event with its time, session and old and new values', () => {
    const { receive } = renderTimeline();
    act(() => {
      receive(patch({ changed: [{ id: 'spotify', changes: { volume: 0.3 } }] }));
      receive(eventsMessage(logged(volumeEvent('spotify', 0.3), { seq: 12, time: T0 })));
    });
    expect(rowTexts()).toEqual([
      `${formatClock(T0, 'en')} | 12 | volume-changed | Spotifyspotify.exe 2000 | volume 0.80 → 0.30 | context {context}`,
    ]);
    expect(screen.getByRole('table', { name: 'Backend events' }).getAttribute('aria-rowcount')).toBe('2');
  });

  it('is shown and hidden from the header, and records while hidden', () => {
    const { receive } = renderMixer(<App />, [snapshot()]);
    const toggle = screen.getByRole('button', { name: 'Events' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(screen.queryByTestId('event-timeline')).toBeNull();
    act(() => receive(eventsMessage(volumeEvent('firefox', 0.1))));
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(rows()).toHaveLength(1);
    fireEvent.click(toggle);
    expect(screen.queryByTestId('event-timeline')).toBeNull();
  });

  it('says so when there is nothing to show', () => {
    renderTimeline();
    expect(screen.getByText(/No event yet/)).toBeTruthy();
  });

  it('draws only the rows in view, however many are kept', () => {
    const { receive } = renderTimeline();
    act(() => receive(eventsMessage(...Array.from({ length: 2000 }, () => volumeEvent('firefox', 0.5)))));
    expect(screen.getByTestId('timeline-status').textContent).toContain('2,000 shown');
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().length).toBeLessThan(60);
    // Following the newest: the last row drawn is the last event.
    expect(rows().at(-1)?.getAttribute('aria-rowindex')).toBe('2001');
  });

  it('shows how many of the oldest entries the ring dropped, and can be made bigger', () => {
    const { receive, timeline } = renderTimeline({ timelineSize: 100 });
    act(() => receive(eventsMessage(...Array.from({ length: 150 }, () => volumeEvent('firefox', 0.5)))));
    expect(screen.getByTestId('timeline-dropped').textContent).toBe('50 oldest dropped');
    expect(screen.getByTestId('timeline-status').textContent).toContain('100 kept of 150 received');

    fireEvent.change(screen.getByRole('combobox', { name: 'Keep' }), { target: { value: '5000' } });
    expect(timeline.getState().capacity).toBe(5000);
    act(() => receive(eventsMessage(...Array.from({ length: 150 }, () => volumeEvent('firefox', 0.5)))));
    expect(screen.getByTestId('timeline-status').textContent).toContain('250 kept of 300 received');
  });

  it('freezes the view while paused, keeps recording, and catches up on resume', () => {
    const { receive, timeline } = renderTimeline();
    act(() => receive(eventsMessage(volumeEvent('firefox', 0.1))));
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    act(() => receive(eventsMessage(volumeEvent('firefox', 0.2), volumeEvent('firefox', 0.3))));
    expect(rows()).toHaveLength(1);
    expect(screen.getByTestId('timeline-status').textContent).toContain('View paused: still recording');
    expect(timeline.getState().ring.length).toBe(3);

    fireEvent.click(screen.getByRole('button', { name: 'Resume (2 new)' }));
    expect(rows()).toHaveLength(3);
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
  });

  it('pauses the view when the user scrolls up while it follows', () => {
    const { receive, timeline } = renderTimeline();
    act(() => receive(eventsMessage(volumeEvent('firefox', 0.1))));
    const list = screen.getByRole('rowgroup', { name: 'Events, oldest first' });
    fireEvent.wheel(list, { deltaY: 40 });
    expect(timeline.getState().paused).toBeNull();
    fireEvent.wheel(list, { deltaY: -40 });
    expect(timeline.getState().paused).not.toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    fireEvent.keyDown(list, { key: 'PageUp' });
    expect(timeline.getState().paused).not.toBeNull();
  });

  it('filters by session, event types, process and text', () => {
    const { receive } = renderMixer(<Timeline />, [
      snapshot({
        sessions: [
          session('firefox', { displayName: 'Firefox', pid: 1000, processName: 'firefox.exe' }),
          session('chrome', { displayName: 'Chrome', pid: 2000, processName: 'chrome.exe' }),
        ],
      }),
    ]);
    act(() =>
      receive(
        eventsMessage(
          volumeEvent('firefox', 0.1),
          volumeEvent('chrome', 0.2),
          { type: 'state-changed', sessionId: 'chrome', state: 'inactive', terminated: false },
        ),
      ),
    );
    const subjects = () => rows().map((row) => within(row).getAllByRole('cell')[2]?.textContent);

    fireEvent.change(screen.getByRole('combobox', { name: 'Session' }), { target: { value: 'chrome' } });
    expect(subjects()).toEqual(['volume-changed', 'state-changed']);

    fireEvent.click(screen.getByRole('checkbox', { name: 'volume-changed' }));
    expect(subjects()).toEqual(['state-changed']);
    expect(screen.getByText(`${EVENT_TYPES.length - 1} of ${EVENT_TYPES.length} types`)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'All' }));

    fireEvent.change(screen.getByRole('combobox', { name: 'Session' }), { target: { value: '' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Process' }), { target: { value: 'pid:1000' } });
    expect(subjects()).toEqual(['volume-changed']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Process' }), { target: { value: 'name:chrome.exe' } });
    expect(subjects()).toEqual(['volume-changed', 'state-changed']);

    fireEvent.change(screen.getByRole('combobox', { name: 'Process' }), { target: { value: '' } });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: 'INACTIVE' } });
    expect(subjects()).toEqual(['state-changed']);

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: 'nothing like it' } });
    expect(screen.getByText('No event matches the filter.')).toBeTruthy();
  });

  it('closes the type menu on Escape without letting the key go further', () => {
    renderTimeline();
    const menu = screen.getByRole('group', { name: 'Event types' }).closest('details') as HTMLDetailsElement;
    menu.open = true;
    const escape = fireEvent.keyDown(screen.getByRole('checkbox', { name: 'duck' }), { key: 'Escape' });
    expect(menu.open).toBe(false);
    expect(escape).toBe(false); // default prevented
  });

  it('exports the events shown as JSON and as CSV', async () => {
    const { receive } = renderTimeline();
    const saved: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push(blob as Blob);
      return 'blob:test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const first: LoggedEvent = logged(volumeEvent('firefox', 0.1), { seq: 1 });
    const second: LoggedEvent = logged({ type: 'device-removed', deviceId: 'dev-headphones' }, { seq: 2 });
    act(() => receive(eventsMessage(first, second)));

    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    expect(JSON.parse(await (saved[0] as Blob).text())).toEqual([first, second]);
    expect(clicks).toHaveBeenCalledTimes(1);
    expect((clicks.mock.contexts[0] as HTMLAnchorElement).download).toMatch(/^sndmix-events-\d{8}-\d{6}\.json$/);

    fireEvent.change(screen.getByRole('combobox', { name: 'Session' }), { target: { value: 'firefox' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    const csv = await (saved[1] as Blob).text();
    expect(csv.trim().split('\r\n')).toHaveLength(2); // header and Firefox's one change
    expect(csv).toContain('volume-changed,firefox');
    expect((saved[1] as Blob).type).toBe('text/csv;charset=utf-8');
  });

  it('never touches the mixer store, so strips do not re-render for events', () => {
    const renders: string[] = [];
    const { receive, store } = renderMixer(
      <>
        <Profiler id="mixer" onRender={(id) => renders.push(id)}>
          <MixerPanel deviceId={SPEAKERS} flow="render" />
        </Profiler>
        <Profiler id="timeline" onRender={(id) => renders.push(id)}>
          <Timeline />
        </Profiler>
      </>,
      [snapshot()],
    );
    let mixerUpdates = 0;
    store.subscribe(() => (mixerUpdates += 1));
    renders.length = 0;
    act(() => receive(eventsMessage(...Array.from({ length: 50 }, () => ({ type: 'unduck', deviceId: SPEAKERS, sessionId: 'firefox' }) as const))));
    expect(mixerUpdates).toBe(0);
    expect(renders).toEqual(['timeline']);
  });
});
