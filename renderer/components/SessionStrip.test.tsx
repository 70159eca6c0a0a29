import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionNote } from '../../core/contract';
import { HEADPHONES, MICROPHONE, SPEAKERS, backendInfo, patch, session, snapshot } from '../testing/fixtures';
import { FakeIntersectionObserver } from '../testing/fake-intersection-observer';
import { renderMixer } from '../testing/render-mixer';
import { MixerPanel } from './MixerPanel';
import { ErrorToasts } from './Notices';
import type * as MixerContext from '../app/mixer-context';
import type * as Icons from './icons';
import { SessionStrip } from './SessionStrip';
import { StripWords } from './strip-text';

/** Renders of a strip's parts, counted through what only they use: its icon, its mute button's icon, its meter, its frame (the strip's words). */
const partRenders = vi.hoisted(() => ({ appIcon: 0, speakerIcon: 0, meter: 0, frame: 0 }));
vi.mock('./icons', async (importOriginal) => {
  const icons = await importOriginal<typeof Icons>();
  return {
    ...icons,
    AppIcon: (props: Parameters<typeof icons.AppIcon>[0]) => (partRenders.appIcon++, icons.AppIcon(props)),
    SpeakerIcon: (props: Parameters<typeof icons.SpeakerIcon>[0]) => (partRenders.speakerIcon++, icons.SpeakerIcon(props)),
  };
});
vi.mock('../app/mixer-context', async (importOriginal) => {
  const context = await importOriginal<typeof MixerContext>();
  return {
    ...context,
    useMeterHost: () => (partRenders.meter++, context.useMeterHost()),
    useStripWords: () => (partRenders.frame++, context.useStripWords()),
  };
});

// Strips' icons are given their source once on screen (on-screen-image.ts): the tests say when.
vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);

const GROUP = '{aaaaaaaa-0000-0000-0000-000000000001}';

function note(appKey: string): SessionNote {
  return { appKey, lastChange: null, changesItself: false };
}
const NOTES = { firefox: note('app:firefox'), spotify: note('app:spotify') };

afterEach(cleanup);

function strip(name: string): HTMLElement {
  return screen.getByRole('group', { name });
}

describe('SessionStrip', () => {
  it('re-renders only the strip whose session changed', () => {
    const renders: string[] = [];
    const count = (id: string) => renders.push(id);
    const { store, receive } = renderMixer(
      <>
        <Profiler id="firefox" onRender={count}>
          <SessionStrip stripKey="firefox" deviceId={SPEAKERS} flow="render" />
        </Profiler>
        <Profiler id="spotify" onRender={count}>
          <SessionStrip stripKey="spotify" deviceId={SPEAKERS} flow="render" />
        </Profiler>
      </>,
      [snapshot()],
    );
    renders.length = 0;

    act(() => store.getState().applyMessage(patch({ changed: [{ id: 'firefox', changes: { muted: true } }] })));
    expect(renders).toEqual(['firefox']);

    // A volume step renders no strip at all: the slider shows it itself.
    renders.length = 0;
    act(() => store.getState().applyMessage(patch({ changed: [{ id: 'firefox', changes: { volume: 0.1 } }] })));
    expect(renders).toEqual([]);
    expect(screen.getByRole('slider', { name: 'Volume of Firefox' })).toHaveProperty('value', '10');
    expect(within(strip('Firefox')).getByTestId('volume-value').textContent).toBe('10');

    renders.length = 0;
    act(() => receive({ type: 'peaks', peaks: { firefox: 90, spotify: 30 } }));
    expect(renders).toEqual([]);
  });

  it('a volume step renders the slider alone, not the strip around it, its icon, name, tooltip, meter or mute button', () => {
    const tooltips = vi.spyOn(StripWords.prototype, 'tooltip');
    const { receive } = renderMixer(<SessionStrip stripKey="firefox" deviceId={SPEAKERS} flow="render" />, [snapshot({ notes: NOTES })]);
    expect(partRenders.appIcon * partRenders.speakerIcon * partRenders.meter * partRenders.frame * tooltips.mock.calls.length).toBeGreaterThan(0);
    const parts = () => ({ ...partRenders, tooltips: tooltips.mock.calls.length });
    const before = parts();
    act(() => receive(patch({ changed: [{ id: 'firefox', changes: { volume: 0.12 } }] })));
    expect(screen.getByRole('slider', { name: 'Volume of Firefox' })).toHaveProperty('value', '12');
    expect(parts()).toEqual(before);

    // From outside: nothing else is made again, not even the tooltip, until someone hovers the head.
    const lastChange = { origin: 'other-program' as const, time: Date.UTC(2026, 0, 1, 12, 3, 4), previous: { volume: 0.12, muted: false, channelVolumes: [0.12, 0.12] } };
    act(() => receive({ ...patch({ changed: [{ id: 'firefox', changes: { volume: 0.34 } }] }), notes: { firefox: { ...NOTES.firefox, lastChange } } }));
    expect(screen.getByRole('slider', { name: 'Volume of Firefox' })).toHaveProperty('value', '34');
    expect(parts()).toEqual(before);
    const head = strip('Firefox').querySelector('.strip-head') as HTMLElement;
    expect(head.title).not.toMatch(/Last changed/);
    fireEvent.pointerEnter(head);
    expect(head.title).toMatch(/^Firefox\nLast changed by another program at /);
    expect(parts()).toEqual({ ...before, tooltips: before.tooltips + 1 });
    tooltips.mockRestore();
  });

  it('the head tooltip says the latest change while hovered or focused, and the steady part after', () => {
    const { receive } = renderMixer(<SessionStrip stripKey="firefox" deviceId={SPEAKERS} flow="render" />, [snapshot({ notes: NOTES })]);
    const head = strip('Firefox').querySelector('.strip-head') as HTMLElement;
    const steady = head.title;
    const changed = (origin: 'other-program' | 'app', volume: number) =>
      act(() =>
        receive({
          ...patch({ changed: [{ id: 'firefox', changes: { volume } }] }),
          notes: { firefox: { ...NOTES.firefox, lastChange: { origin, time: Date.UTC(2026, 0, 1, 12, 3, 4), previous: { volume: 0.5, muted: false, channelVolumes: [0.5, 0.5] } } } },
        }),
      );
    changed('other-program', 0.2);
    act(() => head.focus());
    expect(head.title).toMatch(/Last changed by another program/);
    // A change while it is focused: the tooltip follows it.
    changed('app', 0.3);
    expect(head.title).toMatch(/Last changed by the app itself/);
    expect(head.title.startsWith('Firefox\n')).toBe(true);
    act(() => head.blur());
    expect(head.title).toBe(steady);
    // Its accessible name stays the name and "details", whatever the tooltip says.
    expect(screen.getByRole('button', { name: 'Firefox details' })).toBe(head);
  });

  it('shows name, value and mute state, and mutes with every grouped session', () => {
    const { api } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [
      snapshot({
        sessions: [
          session('chrome-1', { displayName: 'Google Chrome', groupingParam: GROUP, volume: 0.3 }),
          session('chrome-2', { displayName: 'Google Chrome', groupingParam: GROUP, pid: 1001, volume: 0.3 }),
        ],
      }),
    ]);
    const chrome = strip('Google Chrome');
    expect(within(chrome).getByRole('slider', { name: 'Volume of Google Chrome' })).toHaveProperty('value', '30');
    const mute = within(chrome).getByRole('button', { name: 'Mute Google Chrome' });
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(mute);
    expect(api.commands).toEqual([{ type: 'set-mute', sessionIds: ['chrome-1', 'chrome-2'], muted: true }]);
  });

  it('gives a recording strip a microphone mute button, a playback strip a speaker', () => {
    renderMixer(
      <>
        <MixerPanel deviceId={SPEAKERS} flow="render" />
        <MixerPanel deviceId={MICROPHONE} flow="capture" />
      </>,
      [
        snapshot({
          sessions: [
            session('player', { displayName: 'Player' }),
            session('recorder', { displayName: 'Recorder', deviceId: MICROPHONE, flow: 'capture' }),
          ],
        }),
      ],
    );
    const iconOf = (name: string) => within(strip(name)).getByRole('button', { name: `Mute ${name}` }).querySelector('svg')?.dataset.icon;
    expect(iconOf('Player')).toBe('speaker');
    expect(iconOf('Recorder')).toBe('microphone');
  });

  it('marks a muted strip as pressed and unmutes it', () => {
    const { api } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [
      snapshot({ sessions: [session('vlc', { displayName: 'VLC', muted: true })] }),
    ]);
    const mute = screen.getByRole('button', { name: 'Mute VLC' });
    expect(mute.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(mute);
    expect(api.commands).toEqual([{ type: 'set-mute', sessionIds: ['vlc'], muted: false }]);
  });

  it('shows a disconnected session as such, with its controls locked', () => {
    renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [
      snapshot({ sessions: [session('game', { displayName: 'Game', disconnected: 'device-removed' })] }),
    ]);
    const game = strip('Game');
    expect(game.dataset.state).toBe('disconnected');
    expect(within(game).getByText('Disconnected')).toBeTruthy();
    expect(within(game).getByRole('slider')).toHaveProperty('disabled', true);
    expect(within(game).queryByRole('button', { name: 'Mute Game' })).toBeNull();
    // Its details can still be opened.
    expect(within(game).getByRole('button', { name: 'Game details' })).toBeTruthy();
  });

  it('dims inactive sessions but keeps them adjustable; drops expired ones', () => {
    renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [
      snapshot({
        sessions: [
          session('paused', { displayName: 'Paused', state: 'inactive' }),
          session('gone', { displayName: 'Gone', state: 'expired' }),
        ],
      }),
    ]);
    expect(strip('Paused').dataset.state).toBe('inactive');
    expect(within(strip('Paused')).getByRole('slider')).toHaveProperty('disabled', false);
    expect(screen.queryByRole('group', { name: 'Gone' })).toBeNull();
  });

  it('shows a failed command as an error notice', async () => {
    const { api } = renderMixer(
      <>
        <MixerPanel deviceId={SPEAKERS} flow="render" />
        <ErrorToasts />
      </>,
      [snapshot()],
    );
    api.result = { ok: false, error: { code: 'unknown-session', message: 'Firefox has gone' } };
    fireEvent.click(screen.getByRole('button', { name: 'Mute Firefox' }));
    const notice = await screen.findByTestId('error-toast');
    expect(notice.textContent).toContain('Could not mute Firefox: Firefox has gone');
  });

  it('puts the full name in the tooltip and an icon from a data URL only, decoded once its strip is on screen', () => {
    const icon = 'data:image/png;base64,iVBORw0KGgo=';
    const { container } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [
      snapshot({
        sessions: [
          session('long', { displayName: 'A very long application name that will not fit', icon }),
          session('remote', { displayName: 'Remote', icon: 'https://example.com/x.png' }),
        ],
      }),
    ]);
    const head = strip('A very long application name that will not fit').querySelector('.strip-head');
    expect(head?.getAttribute('title')).toContain('A very long application name that will not fit');
    const images = () => [...container.querySelectorAll('img')].map((image) => image.getAttribute('src'));
    expect(images()).toEqual([null]);
    act(() => FakeIntersectionObserver.reveal());
    expect(images()).toEqual([icon]);
  });

  it('toggles mute with M anywhere in the strip and with Space on its slider', () => {
    const { api } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [snapshot()]);
    const slider = within(strip('Firefox')).getByRole('slider');
    fireEvent.keyDown(slider, { key: 'm' });
    fireEvent.keyDown(slider, { key: ' ' });
    // Space on the head button is that button's (it opens the inspector), not a mute.
    fireEvent.keyDown(within(strip('Firefox')).getByRole('button', { name: 'Firefox details' }), { key: ' ' });
    expect(api.commands).toEqual([
      { type: 'set-mute', sessionIds: ['firefox'], muted: true },
      { type: 'set-mute', sessionIds: ['firefox'], muted: true },
    ]);
  });

  it('moves the volume with the wheel anywhere over the strip', () => {
    const { api } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [
      snapshot({ sessions: [session('vlc', { displayName: 'VLC', volume: 0.5 })] }),
    ]);
    fireEvent.wheel(strip('VLC').querySelector('.strip-name') as Element, { deltaY: -100, deltaMode: 0 });
    expect(api.commands).toEqual([{ type: 'set-volume', sessionIds: ['vlc'], volume: 0.52 }]);
  });

  it('opens its menu with Shift+F10, and Mute all others mutes the other live strips only', async () => {
    const { api } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [
      snapshot({
        sessions: [
          session('vlc', { displayName: 'VLC' }),
          session('game', { displayName: 'Game' }),
          session('gone', { displayName: 'Gone', disconnected: 'device-removed' }),
        ],
      }),
    ]);
    fireEvent.keyDown(within(strip('VLC')).getByRole('slider'), { key: 'F10', shiftKey: true });
    const menu = await screen.findByRole('menu', { name: 'Actions for VLC' });
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Mute all others' }));
    expect(api.commands).toEqual([{ type: 'set-mute', sessionIds: ['game'], muted: true }]);
  });

  it('speaks German in a German window', () => {
    renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [snapshot()], { language: 'de' });
    expect(screen.getByRole('slider', { name: 'Lautstärke von Firefox' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Firefox stummschalten' })).toBeTruthy();
    expect(screen.getByText('Anwendungen')).toBeTruthy();
  });

  it('words its strips again when the language changes', async () => {
    const { i18n } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [snapshot()]);
    expect(screen.getByRole('slider', { name: 'Volume of Firefox' })).toBeTruthy();
    await act(() => i18n.changeLanguage('de'));
    expect(screen.getByRole('slider', { name: 'Lautstärke von Firefox' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Firefox stummschalten' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Firefox' }).querySelector('.strip-head')?.getAttribute('title')).toContain('Klicken für Details');
  });

  it("re-renders only the strip whose app's preferences changed", () => {
    const renders: string[] = [];
    const count = (id: string) => renders.push(id);
    const { receive } = renderMixer(
      <>
        <Profiler id="firefox" onRender={count}>
          <SessionStrip stripKey="firefox" deviceId={SPEAKERS} flow="render" />
        </Profiler>
        <Profiler id="spotify" onRender={count}>
          <SessionStrip stripKey="spotify" deviceId={SPEAKERS} flow="render" />
        </Profiler>
      </>,
      [snapshot({ notes: NOTES })],
    );
    renders.length = 0;
    act(() =>
      receive({
        ...patch(),
        preferences: { apps: { 'app:firefox': { hidden: false, name: 'Browser', reapplyProfile: null } }, devices: {} },
      }),
    );
    expect(renders).toEqual(['firefox']);
    expect(strip('Browser')).toBeTruthy();
  });

  it('leaves a hidden app out until Show hidden, then shows it dimmed with Unhide in its menu', async () => {
    const { store, api } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [
      snapshot({
        notes: NOTES,
        preferences: { apps: { 'app:spotify': { hidden: true, name: null, reapplyProfile: null } }, devices: {} },
      }),
    ]);
    expect(screen.queryByRole('group', { name: 'Spotify' })).toBeNull();
    act(() => store.getState().setShowHidden(true));
    expect(strip('Spotify').dataset.hidden).toBe('true');
    fireEvent.keyDown(within(strip('Spotify')).getByRole('slider'), { key: 'F10', shiftKey: true });
    const menu = await screen.findByRole('menu', { name: 'Actions for Spotify' });
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Unhide' }));
    expect(api.commands).toEqual([{ type: 'set-app-preference', appKey: 'app:spotify', hidden: false }]);
  });

  it('renames from its menu: Enter keeps the name, an empty one goes back to the own name', async () => {
    const { api } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [snapshot({ notes: NOTES })]);
    fireEvent.keyDown(within(strip('Firefox')).getByRole('slider'), { key: 'F10', shiftKey: true });
    fireEvent.click(within(await screen.findByRole('menu', { name: 'Actions for Firefox' })).getByRole('menuitem', { name: 'Rename…' }));
    const field = await screen.findByRole('textbox', { name: 'New name for Firefox (empty: its own name)' });
    fireEvent.change(field, { target: { value: '  ' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(api.commands).toEqual([{ type: 'set-app-preference', appKey: 'app:firefox', name: null }]);
    expect(screen.queryByRole('textbox')).toBeNull();
  });

  it('moves an app to another playback device, or back to the default (unless it follows it already), where the backend can', async () => {
    const capabilities = { ...backendInfo().capabilities, outputDevice: true };
    const { api, store } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [
      snapshot({
        notes: NOTES,
        backend: backendInfo({ capabilities }),
        sessions: [session('firefox', { displayName: 'Firefox', outputRoute: { kind: 'follows-default' } })],
      }),
    ]);
    fireEvent.keyDown(within(strip('Firefox')).getByRole('slider'), { key: 'F10', shiftKey: true });
    const menu = await screen.findByRole('menu', { name: 'Actions for Firefox' });
    fireEvent.keyDown(within(menu).getByRole('menuitem', { name: 'Move to device' }), { key: 'ArrowRight' });
    const devices = await screen.findByRole('menu', { name: 'Move to device' });
    // Playback devices only; the one it is on cannot be picked.
    expect(within(devices).getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Default device', 'Speakers', 'Headphones']);
    expect(within(devices).getByRole('menuitem', { name: 'Speakers' }).getAttribute('aria-disabled')).toBe('true');
    // The app follows the default device: that cannot be picked either, until the app is pinned (SessionRecord.outputRoute).
    expect(within(devices).getByRole('menuitem', { name: 'Default device' }).getAttribute('aria-disabled')).toBe('true');
    act(() => store.getState().applyMessage(patch({ changed: [{ id: 'firefox', changes: { outputRoute: { kind: 'pinned', deviceId: SPEAKERS } } }] })));
    expect(within(devices).getByRole('menuitem', { name: 'Default device' }).getAttribute('aria-disabled')).toBeNull();
    fireEvent.click(within(devices).getByRole('menuitem', { name: 'Headphones' }));
    expect(api.commands).toEqual([{ type: 'set-output-device', sessionIds: ['firefox'], deviceId: HEADPHONES }]);
  });

  it('has no Move to device where the backend cannot', async () => {
    renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [snapshot({ notes: NOTES })]);
    fireEvent.keyDown(within(strip('Firefox')).getByRole('slider'), { key: 'F10', shiftKey: true });
    const menu = await screen.findByRole('menu', { name: 'Actions for Firefox' });
    expect(within(menu).queryByRole('menuitem', { name: 'Move to device' })).toBeNull();
  });
});
