// A strip's context menu (right-click, Shift+F10 or the context-menu key): Radix's menu,
// so roles, roving focus, typeahead and Escape are the platform's. It is mounted only while
// open (a strip costs no menu until asked: hundreds of strips mount within a frame's budget).
// The actions are existing commands; the other strips are read from the store when an item
// is chosen, so no strip subscribes to its neighbours.
import * as ContextMenu from '@radix-ui/react-context-menu';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Flow } from '../../native-bridge/types';
import { useShallow } from 'zustand/react/shallow';
import { useCommand, useMixer, useMixerStore } from '../app/mixer-context';
import { deviceDisplayName, isOutside, selectableDevices, selectLastChange, selectOutsideChanged, selectStrips } from '../state/selectors';

export interface StripMenuProps {
  deviceId: string;
  flow: Flow;
  stripKey: string;
  name: string;
  sessionIds: readonly string[];
  muted: boolean;
  /** Disconnected or offline: nothing can be changed, the inspector still opens. */
  locked: boolean;
  /** The app's key for hide and rename; undefined until the host's note for it arrived. */
  appKey: string | undefined;
  hidden: boolean;
  /** The backend can send an app to another playback device. */
  canMove: boolean;
  onRename(): void;
  onInspect(): void;
  /** Where it opens (the pointer, or the strip's head from the keyboard). */
  at: { x: number; y: number };
  onClose(): void;
}

/** The menu's invisible trigger: Radix opens a context menu on a contextmenu event there, given once, on mount. */
function useOpenAt({ x, y }: { x: number; y: number }) {
  const anchor = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    anchor.current?.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: x, clientY: y }));
  }, [x, y]);
  return anchor;
}

export function StripMenu(props: StripMenuProps) {
  const { deviceId, flow, stripKey, name, sessionIds, muted, locked, appKey, hidden, canMove, onRename, onInspect, at, onClose } = props;
  const { t } = useTranslation();
  // The last change came from outside SndMix (the app, another program, ducking): it can be undone.
  // Selected here, while the menu is open, so a change from outside does not render the strip.
  const outsideChange = useMixer((state) => isOutside(selectLastChange(state, sessionIds)));
  const send = useCommand();
  const store = useMixerStore();
  const anchor = useOpenAt(at);

  /** The sessions of the other live strips on this device (disconnected ones cannot be changed). */
  const otherSessionIds = () =>
    selectStrips(store.getState(), deviceId, flow)
      .filter((strip) => strip.key !== stripKey && !strip.disconnected)
      .flatMap((strip) => strip.sessionIds);

  const muteOthers = (whatFailed: string) => {
    const others = otherSessionIds();
    if (others.length > 0) send({ type: 'set-mute', sessionIds: others, muted: true }, whatFailed);
  };

  return (
    // Not modal: the window stays in the accessibility tree while the menu is open (Escape,
    // a click outside or Tab close it), as a context menu in a desktop app behaves.
    <ContextMenu.Root modal={false} onOpenChange={(open) => open || onClose()}>
      <ContextMenu.Trigger asChild>
        <span ref={anchor} className="strip-menu-anchor" />
      </ContextMenu.Trigger>
      {/* Inside the main landmark, where the strip is, not loose in the body. */}
      <ContextMenu.Portal container={document.querySelector('main')}>
        <ContextMenu.Content className="strip-menu" aria-label={t('menu.label', { name })} data-testid="strip-menu">
          <ContextMenu.Item
            className="strip-menu-item"
            disabled={locked}
            onSelect={() =>
              send(
                { type: 'set-mute', sessionIds: [...sessionIds], muted: !muted },
                t(muted ? 'strip.unmuteFailed' : 'strip.muteFailed', { name }),
              )
            }
          >
            {t(muted ? 'menu.unmute' : 'menu.mute')}
            <span className="strip-menu-shortcut" aria-hidden="true">
              M
            </span>
          </ContextMenu.Item>
          <ContextMenu.Item className="strip-menu-item" disabled={locked} onSelect={() => muteOthers(t('menu.muteOthersFailed'))}>
            {t('menu.muteOthers')}
          </ContextMenu.Item>
          <ContextMenu.Item
            className="strip-menu-item"
            disabled={locked}
            onSelect={() => {
              const whatFailed = t('menu.soloFailed', { name });
              if (muted) send({ type: 'set-mute', sessionIds: [...sessionIds], muted: false }, whatFailed);
              muteOthers(whatFailed);
            }}
          >
            {t('menu.solo')}
          </ContextMenu.Item>
          {outsideChange && (
            <ContextMenu.Item
              className="strip-menu-item"
              disabled={locked}
              onSelect={() => {
                for (const sessionId of selectOutsideChanged(store.getState(), sessionIds)) {
                  send({ type: 'undo-outside-change', sessionId }, t('menu.undoOutsideFailed', { name }));
                }
              }}
            >
              {t('menu.undoOutside')}
            </ContextMenu.Item>
          )}
          <ContextMenu.Separator className="strip-menu-separator" />
          {canMove && <MoveToDevice name={name} sessionIds={sessionIds} currentDeviceId={deviceId} disabled={locked} />}
          <ContextMenu.Item className="strip-menu-item" disabled={appKey === undefined} onSelect={onRename}>
            {t('menu.rename')}
          </ContextMenu.Item>
          {appKey !== undefined && <ReapplyProfile name={name} appKey={appKey} />}
          <ContextMenu.Item
            className="strip-menu-item"
            disabled={appKey === undefined}
            onSelect={() => {
              if (appKey !== undefined)
                send({ type: 'set-app-preference', appKey, hidden: !hidden }, t(hidden ? 'menu.unhideFailed' : 'menu.hideFailed', { name }));
            }}
          >
            {t(hidden ? 'menu.unhide' : 'menu.hide')}
          </ContextMenu.Item>
          <ContextMenu.Separator className="strip-menu-separator" />
          <ContextMenu.Item
            className="strip-menu-item"
            disabled={locked}
            onSelect={() => send({ type: 'set-volume', sessionIds: [...sessionIds], volume: 1 }, t('strip.setVolumeFailed', { name }))}
          >
            {t('menu.reset')}
          </ContextMenu.Item>
          <ContextMenu.Item className="strip-menu-item" onSelect={onInspect}>
            {t('menu.inspect')}
          </ContextMenu.Item>
        </ContextMenu.Content>
      </ContextMenu.Portal>
    </ContextMenu.Root>
  );
}

/** The submenu that sends the app to one of the playback devices, or back to following the default. */
function MoveToDevice({ name, sessionIds, currentDeviceId, disabled }: { name: string; sessionIds: readonly string[]; currentDeviceId: string; disabled: boolean }) {
  const { t } = useTranslation();
  const send = useCommand();
  const devices = useMixer(useShallow((state) => selectableDevices(state, 'render')));
  const devicePreferences = useMixer((state) => state.preferences.devices);
  // Like the device it plays on, the default cannot be picked while the app already follows it.
  const followsDefault = useMixer((state) => sessionIds.every((id) => state.sessions.get(id)?.outputRoute?.kind === 'follows-default'));
  const move = (deviceId: string | null, deviceName: string) =>
    send({ type: 'set-output-device', sessionIds: [...sessionIds], deviceId }, t('menu.moveFailed', { name, device: deviceName }));
  return (
    <StripSubmenu label={t('menu.moveTo')} testId="move-menu" disabled={disabled}>
      <ContextMenu.Item className="strip-menu-item" disabled={followsDefault} onSelect={() => move(null, t('menu.defaultDevice'))}>
        {t('menu.defaultDevice')}
      </ContextMenu.Item>
      <ContextMenu.Separator className="strip-menu-separator" />
      {devices.map((device) => (
        <ContextMenu.Item
          key={device.id}
          className="strip-menu-item"
          disabled={device.id === currentDeviceId}
          onSelect={() => move(device.id, deviceDisplayName(devicePreferences, device))}
        >
          {deviceDisplayName(devicePreferences, device)}
        </ContextMenu.Item>
      ))}
    </StripSubmenu>
  );
}

/** A submenu of the strip menu: its item (marked ›) and, in the main landmark like the menu, its own items. */
function StripSubmenu({ label, testId, disabled = false, children }: { label: string; testId: string; disabled?: boolean; children: ReactNode }) {
  return (
    <ContextMenu.Sub>
      <ContextMenu.SubTrigger className="strip-menu-item" disabled={disabled}>
        {label}
        <span className="strip-menu-shortcut" aria-hidden="true">
          ›
        </span>
      </ContextMenu.SubTrigger>
      <ContextMenu.Portal container={document.querySelector('main')}>
        <ContextMenu.SubContent className="strip-menu" aria-label={label} data-testid={testId}>
          {children}
        </ContextMenu.SubContent>
      </ContextMenu.Portal>
    </ContextMenu.Sub>
  );
}

/** The device strip's context menu: mounted only while open, like the app strips'. */
export function DeviceStripMenu({ name, at, onRename, onClose }: { name: string; at: { x: number; y: number }; onRename(): void; onClose(): void }) {
  const { t } = useTranslation();
  const anchor = useOpenAt(at);
  return (
    <ContextMenu.Root modal={false} onOpenChange={(open) => open || onClose()}>
      <ContextMenu.Trigger asChild>
        <span ref={anchor} className="strip-menu-anchor" />
      </ContextMenu.Trigger>
      <ContextMenu.Portal container={document.querySelector('main')}>
        <ContextMenu.Content className="strip-menu" aria-label={t('menu.label', { name })} data-testid="device-strip-menu">
          <ContextMenu.Item className="strip-menu-item" onSelect={onRename}>
            {t('menu.rename')}
          </ContextMenu.Item>
        </ContextMenu.Content>
      </ContextMenu.Portal>
    </ContextMenu.Root>
  );
}

const REAPPLY_OFF = '';

/** The submenu for the app's rule "when it appears, apply this profile": the saved profiles and Off, the current one checked. */
function ReapplyProfile({ name, appKey }: { name: string; appKey: string }) {
  const { t } = useTranslation();
  const send = useCommand();
  const profileNames = useMixer(useShallow((state) => state.profiles.profiles.map((profile) => profile.name)));
  const current = useMixer((state) => state.preferences.apps[appKey]?.reapplyProfile ?? null);
  const choose = (value: string) => {
    const reapplyProfile = value === REAPPLY_OFF ? null : value;
    send({ type: 'set-app-preference', appKey, reapplyProfile }, t('menu.reapplyFailed', { name }));
  };
  return (
    <StripSubmenu label={t('menu.reapply')} testId="reapply-menu">
      <ContextMenu.RadioGroup value={current ?? REAPPLY_OFF} onValueChange={choose}>
        <ReapplyChoice value={REAPPLY_OFF} label={t('menu.reapplyOff')} />
        {profileNames.length > 0 && <ContextMenu.Separator className="strip-menu-separator" />}
        {profileNames.map((profileName) => (
          <ReapplyChoice key={profileName} value={profileName} label={profileName} />
        ))}
      </ContextMenu.RadioGroup>
    </StripSubmenu>
  );
}

function ReapplyChoice({ value, label }: { value: string; label: string }) {
  return (
    <ContextMenu.RadioItem className="strip-menu-item" value={value}>
      {label}
      <ContextMenu.ItemIndicator className="strip-menu-shortcut" aria-hidden="true">
        ✓
      </ContextMenu.ItemIndicator>
    </ContextMenu.RadioItem>
  );
}

/** Where a menu opened from the keyboard appears: over the strip's head. */
export function keyboardMenuPoint(element: HTMLElement): { x: number; y: number } {
  const rect = element.getBoundingClientRect();
  return { x: rect.left + rect.width / 2, y: rect.top + 48 };
}
