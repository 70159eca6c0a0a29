import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../components/App';
import { patch, session, snapshot } from '../testing/fixtures';
import { T0, changeEvents, eventsMessage, logged } from '../testing/events';
import { renderMixer } from '../testing/render-mixer';
import { formatClock } from '../timeline/format';
import { createI18n } from '../i18n/i18n';
import { historyText } from './Inspector';

afterEach(cleanup);

const GROUP = '{aaaaaaaa-0000-0000-0000-000000000001}';

const firefox = session('firefox', {
  displayName: 'Firefox',
  displayNameSource: 'window-title',
  sessionGuid: '{11111111-2222-3333-4444-555555555555}',
  pid: 4321,
  processName: 'firefox.exe',
  iconPath: '@%ProgramFiles%\\Mozilla\\firefox.exe,-1',
  groupingParam: '{99999999-0000-0000-0000-000000000009}',
  sessionIdentifier: '{0.0.0.00000000}.{dev}|\\Device\\firefox.exe%b{guid}',
  sessionInstanceIdentifier: '{0.0.0.00000000}.{dev}|\\Device\\firefox.exe%b{guid}|1%b4321',
});

function openDetails(name: string): HTMLElement {
  fireEvent.click(screen.getByRole('button', { name: `${name} details` }));
  return screen.getByRole('dialog', { name });
}

function fields(panel: HTMLElement): Record<string, string> {
  return Object.fromEntries(
    within(panel)
      .getAllByRole('term')
      .map((term) => [term.textContent, term.nextElementSibling?.textContent ?? '']),
  );
}

describe('Inspector', () => {
  it("shows the app's profile-on-start rule, following its changes", () => {
    const notes = { firefox: { appKey: 'app:firefox', lastChange: null, changesItself: false } };
    const rule = (reapplyProfile: string | null) => ({ apps: { 'app:firefox': { hidden: false, name: null, reapplyProfile } }, devices: {} });
    const { receive } = renderMixer(<App />, [snapshot({ sessions: [firefox], notes, preferences: rule('Evening') })]);
    const panel = openDetails('Firefox');
    expect(fields(panel)['When it starts']).toBe('apply profile “Evening”');
    act(() => receive({ ...patch(), preferences: rule(null) }));
    expect(fields(panel)['When it starts']).toBe('nothing applied');
  });

  it('opens on a strip with every identity field as the backend gave it', () => {
    renderMixer(<App />, [snapshot({ sessions: [firefox] })]);
    expect(screen.queryByRole('dialog')).toBeNull();
    const panel = openDetails('Firefox');
    expect(fields(panel)).toEqual({
      'Display name': 'Firefoxfrom its window title (window-title)',
      State: 'active',
      Volume: '50 %',
      'Last change': '(none since SndMix started)',
      'Session GUID': '{11111111-2222-3333-4444-555555555555}',
      'Cross-process': 'No',
      'Process ID': '4321',
      'Process name': 'firefox.exe',
      Device: 'Speakersdev-speakers',
      Flow: 'render (playback)',
      'Session identifier': '{0.0.0.00000000}.{dev}|\\Device\\firefox.exe%b{guid}',
      'Session instance identifier': '{0.0.0.00000000}.{dev}|\\Device\\firefox.exe%b{guid}|1%b4321',
      'Grouping param': '{99999999-0000-0000-0000-000000000009}',
      'Icon path': '@%ProgramFiles%\\Mozilla\\firefox.exe,-1',
      'SndMix id': 'firefox',
    });
    expect(screen.getByRole('button', { name: 'Firefox details' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('shows what the streams say they play and how many there are, where the backend knows it', () => {
    renderMixer(<App />, [
      snapshot({ sessions: [session('music', { displayName: 'Rhythmbox', mediaTitles: ['Blue in Green', 'Ding'], streamCount: 3 })] }),
    ]);
    const shown = fields(openDetails('Rhythmbox'));
    expect(shown['Playing']).toBe('Blue in Green · Dingas its streams name it');
    expect(shown['Streams']).toBe('3open now');
  });

  it('follows a track change live: the Playing line reads the new title', () => {
    const music = session('music', { displayName: 'Rhythmbox', mediaTitles: ['Blue in Green'] });
    const { receive } = renderMixer(<App />, [snapshot({ sessions: [music] })]);
    const panel = openDetails('Rhythmbox');
    act(() => {
      receive(patch({ changed: [{ id: 'music', changes: { mediaTitles: ['So What'] } }] }));
      receive(eventsMessage(...changeEvents(music, { mediaTitles: ['So What'] })));
    });
    expect(fields(panel)['Playing']).toBe('So Whatas its streams name it');
  });

  it('marks empty values as such', () => {
    renderMixer(<App />, [
      snapshot({ sessions: [session('sys', { displayName: 'System Sounds', pid: 0, processName: null, crossProcess: true })] }),
    ]);
    const shown = fields(openDetails('System Sounds'));
    expect(shown['Icon path']).toBe('(none given)');
    expect(shown['Process name']).toBe('(none)');
    expect(shown['Process ID']).toBe('0none');
    expect(shown['Cross-process']).toBe('Yes');
  });

  it('lists each member of a grouped strip', () => {
    renderMixer(<App />, [
      snapshot({
        sessions: [
          session('chrome-1', { displayName: 'Chrome', groupingParam: GROUP, pid: 601 }),
          session('chrome-2', { displayName: 'Chrome', groupingParam: GROUP, pid: 602, state: 'inactive' }),
        ],
      }),
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Chrome details (2 sessions grouped)' }));
    const panel = screen.getByRole('dialog', { name: 'Chrome' });
    expect(within(panel).getByText('2 grouped sessions')).toBeTruthy();
    const members = within(panel).getAllByRole('region');
    expect(members.map((member) => within(member).getByRole('heading', { level: 3 }).textContent)).toEqual([
      'Session 1 of 2: Chrome',
      'Session 2 of 2: Chrome',
    ]);
    expect(members.map((member) => fields(member)['Process ID'])).toEqual(['601', '602']);
    expect(members.map((member) => fields(member).State)).toEqual(['active', 'inactive']);
  });

  it('shows the state history with times, from the snapshot and the events', () => {
    const { receive } = renderMixer(<App />, [snapshot({ sessions: [firefox] })]);
    act(() =>
      receive(
        eventsMessage(
          logged({ type: 'state-changed', sessionId: 'firefox', state: 'inactive', terminated: false }, { seq: 3, time: T0 + 1500 }),
          logged({ type: 'disconnected', sessionId: 'firefox', reason: 'device-removed' }, { seq: 4, time: T0 + 2500 }),
        ),
      ),
    );
    const panel = openDetails('Firefox');
    const history = within(panel).getByRole('list', { name: 'State history of Firefox' });
    const lines = within(history)
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}Seen as active$/);
    expect(lines.slice(1)).toEqual([
      `${formatClock(T0 + 1500, 'en')}Now inactive#3`,
      `${formatClock(T0 + 2500, 'en')}Disconnected: device removed#4`,
    ]);
    expect(within(history).getAllByRole('listitem')[1]?.querySelector('time')?.getAttribute('dateTime')).toBe(
      new Date(T0 + 1500).toISOString(),
    );
  });

  it('keeps showing a session that ended, from what it last knew', () => {
    const { receive } = renderMixer(<App />, [snapshot({ sessions: [firefox, session('other', { displayName: 'Other' })] })]);
    const panel = openDetails('Firefox');
    act(() => {
      receive({ type: 'patch', devices: { upserted: [], removed: [] }, sessions: { added: [], changed: [], removed: ['firefox'] } });
      receive(eventsMessage(logged({ type: 'state-changed', sessionId: 'firefox', state: 'expired', terminated: true }, { time: T0 + 9000 })));
    });
    expect(screen.queryByRole('group', { name: 'Firefox' })).toBeNull();
    expect(screen.getByRole('dialog', { name: 'Firefox' })).toBe(panel);
    expect(within(panel).getByText(/no longer in the mixer/)).toBeTruthy();
    expect(fields(panel)['Session GUID']).toBe('{11111111-2222-3333-4444-555555555555}');
    expect(fields(panel).State).toBe('expired, ended');
    expect(within(panel).getByText('Ended: expired with its last stream, removed from the device')).toBeTruthy();
  });

  it('closes with Escape and gives focus back to the strip', () => {
    renderMixer(<App />, [snapshot({ sessions: [firefox] })]);
    const head = screen.getByRole('button', { name: 'Firefox details' });
    head.focus();
    fireEvent.click(head);
    const panel = screen.getByRole('dialog', { name: 'Firefox' });
    expect(document.activeElement).toBe(panel);
    fireEvent.keyDown(panel, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(head);
    expect(head.getAttribute('aria-expanded')).toBe('false');
  });

  it('closes with its close button, and with a second click on the strip', () => {
    renderMixer(<App />, [snapshot({ sessions: [firefox] })]);
    openDetails('Firefox');
    fireEvent.click(screen.getByRole('button', { name: 'Close details' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    openDetails('Firefox');
    fireEvent.click(screen.getByRole('button', { name: 'Firefox details' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('switches to another strip when that one is picked', () => {
    renderMixer(<App />, [snapshot()]);
    openDetails('Firefox');
    openDetails('Spotify');
    expect(screen.getAllByRole('dialog')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Firefox details' }).getAttribute('aria-expanded')).toBe('false');
  });

  it('is not opened by the slider or the mute button', () => {
    renderMixer(<App />, [snapshot()]);
    const strip = screen.getByRole('group', { name: 'Firefox' });
    fireEvent.click(within(strip).getByRole('button', { name: 'Mute Firefox' }));
    fireEvent.pointerDown(within(strip).getByRole('slider'));
    fireEvent.keyDown(within(strip).getByRole('slider'), { key: 'Enter' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('leaves Escape to a search field outside the panel', () => {
    renderMixer(<App />, [snapshot()]);
    fireEvent.click(screen.getByRole('button', { name: 'Events' }));
    openDetails('Firefox');
    fireEvent.keyDown(screen.getByRole('searchbox', { name: 'Search' }), { key: 'Escape' });
    expect(screen.getByRole('dialog', { name: 'Firefox' })).toBeTruthy();
  });
});

describe('history lines', () => {
  it('read in the UI\'s language, states and disconnect reasons included', () => {
    const t = createI18n('de').t;
    const entry = { time: T0, seq: 1, state: 'inactive', disconnected: 'device-removed' } as const;
    expect(historyText(t, { ...entry, change: 'seen' })).toBe('Gesehen als inaktiv, getrennt (Gerät entfernt)');
    expect(historyText(t, { ...entry, change: 'state', disconnected: null })).toBe('Jetzt inaktiv');
    expect(historyText(t, { ...entry, change: 'disconnected' })).toBe('Getrennt: Gerät entfernt');
    expect(historyText(createI18n('en').t, { ...entry, change: 'created', disconnected: null })).toBe('Created, inactive');
  });
});
