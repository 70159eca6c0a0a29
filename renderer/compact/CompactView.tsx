// The tray flyout (`?view=compact`): the default playback device and one row per app,
// each a horizontal slider and a mute button, like EarTrumpet's flyout. Keyboard first:
// Tab walks the rows, the arrows move a slider, Escape closes the flyout (desktop app).
// The same store, selectors and controls as the mixer; only the layout differs.
import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useCommand, useDeviceVolume, useMixer, useStripFields, useStripVolume, useStripWords } from '../app/mixer-context';
import { MuteButton, StripIcon } from '../components/SessionStrip';
import { BackendNotice, ConnectionBanner, ErrorToasts } from '../components/Notices';
import { SpeakerIcon } from '../components/icons';
import { VolumeSlider } from '../controls/VolumeSlider';
import { volumeTextFor } from '../controls/volume-text';
import { deviceDbMapping, sessionDbMapping } from '../../core/contract';
import { useDesktopApi } from '../desktop/desktop-context';
import type { StripApartFromVolume } from '../state/selectors';
import { sameApartFromVolume, selectDeviceName, selectShownDeviceId, selectStrip, selectVisibleStripKeys } from '../state/selectors';

export function CompactView({ onRetry }: { onRetry?: () => void }) {
  const desktop = useDesktopApi();
  const ready = useMixer((state) => state.backend !== null);
  const connection = useMixer((state) => state.connection);
  const deviceId = useMixer((state) => selectShownDeviceId(state, 'render'));
  const { t } = useTranslation();

  useEffect(() => {
    if (!desktop) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') desktop.act('hide-flyout');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [desktop]);

  return (
    <div className="compact" data-connection={connection}>
      <header className="compact-header">
        <h1 className="brand-name">SndMix</h1>
        {desktop ? (
          <button type="button" className="button" onClick={() => desktop.act('open-mixer')}>
            {t('compact.openMixer')}
          </button>
        ) : (
          <a className="button" href={mixerHref()}>
            {t('compact.openMixer')}
          </a>
        )}
      </header>
      <ConnectionBanner onRetry={onRetry} />
      <BackendNotice />
      <main className="compact-main" aria-label={t('compact.volume')}>
        {!ready ? (
          connection !== 'unavailable' && <p className="placeholder">{t('app.connecting')}</p>
        ) : deviceId ? (
          <CompactMixer deviceId={deviceId} />
        ) : (
          <p className="placeholder">{t('app.noPlayback')}</p>
        )}
      </main>
      <ErrorToasts />
    </div>
  );
}

/** This page without `view=compact`: the full mixer, keeping the web mode's token. */
function mixerHref(): string {
  const url = new URL(window.location.href);
  url.searchParams.delete('view');
  return url.toString();
}

function CompactMixer({ deviceId }: { deviceId: string }) {
  const stripKeys = useMixer((state) => selectVisibleStripKeys(state, deviceId, 'render'));
  const { t } = useTranslation();
  return (
    <>
      <CompactDeviceRow deviceId={deviceId} />
      {stripKeys.length > 0 ? (
        <ul className="compact-rows" aria-label={t('panel.applications')} data-testid="compact-rows">
          {stripKeys.map((key) => (
            <CompactSessionRow key={key} stripKey={key} deviceId={deviceId} />
          ))}
        </ul>
      ) : (
        <p className="empty-note">{t('panel.emptyPlayback')}</p>
      )}
    </>
  );
}

function CompactDeviceRow({ deviceId }: { deviceId: string }) {
  const device = useMixer((state) => state.devices.get(deviceId));
  const capabilities = useMixer((state) => state.backend?.capabilities);
  const online = useMixer((state) => state.connection === 'open');
  const volumeScale = useMixer((state) => state.volumeScale);
  const volume = useDeviceVolume(deviceId);
  const send = useCommand();
  const { t, i18n } = useTranslation();
  const words = useStripWords();
  const name = useMixer((state) => selectDeviceName(state, deviceId));
  const onVolume = useCallback(
    (volume: number) => send({ type: 'set-device-volume', deviceId, volume }, t('strip.setVolumeFailed', { name })),
    [send, deviceId, name, t],
  );
  if (!device || !capabilities) return null;
  const muted = device.muted === true;
  return (
    <div className="compact-row compact-device" role="group" aria-label={t('strip.deviceGroup', { name })} data-testid="compact-device">
      <SpeakerIcon className="compact-icon" muted={muted} />
      <span className="compact-name" title={name}>
        {name}
      </span>
      {capabilities.deviceVolume && device.volume !== null ? (
        <VolumeSlider
          orientation="horizontal"
          label={t('strip.volumeOf', { name })}
          text={volumeTextFor(t, i18n.language, volumeScale, deviceDbMapping(device), { kind: 'device' })}
          volume={volume}
          disabled={!online}
          onVolume={onVolume}
        />
      ) : (
        <span className="compact-unsupported">{t('compact.noMasterVolume')}</span>
      )}
      {capabilities.deviceMute && device.muted !== null && (
        <MuteButton
          name={name}
          flow="render"
          muted={muted}
          disabled={!online}
          words={words}
          onToggle={() => send({ type: 'set-device-mute', deviceId, muted: !muted }, t(muted ? 'strip.unmuteFailed' : 'strip.muteFailed', { name }))}
        />
      )}
    </div>
  );
}

function CompactSessionRow({ stripKey, deviceId }: { stripKey: string; deviceId: string }) {
  // Woken only by changes that can be this row's (a long list: one session's change is one row's).
  const { strip, online, volumeScale, volumeCurve, backendName } = useStripFields(
    deviceId,
    'render',
    stripKey,
    (state) => {
      const strip: StripApartFromVolume | undefined = selectStrip(state, deviceId, 'render', stripKey);
      return {
        strip,
        online: state.connection === 'open',
        volumeScale: state.volumeScale,
        volumeCurve: state.backend?.capabilities.sessionVolumeCurve,
        backendName: state.backend?.name ?? '',
      };
    },
    // The slider follows the volume itself: a volume step renders no row.
    { strip: sameApartFromVolume },
  );
  const volume = useStripVolume(deviceId, 'render', stripKey);
  const send = useCommand();
  const { t, i18n } = useTranslation();
  const words = useStripWords();
  const sessionIds = strip?.sessionIds;
  const name = strip?.displayName ?? '';
  const onVolume = useCallback(
    (volume: number) => {
      if (sessionIds) send({ type: 'set-volume', sessionIds, volume }, t('strip.setVolumeFailed', { name }));
    },
    [send, sessionIds, name, t],
  );
  if (!strip) return null;
  const locked = strip.disconnected || !online;
  return (
    <li className="compact-row" aria-label={strip.displayName} data-testid="compact-row" data-state={strip.disconnected ? 'disconnected' : strip.state}>
      <StripIcon icon={strip.icon} isSystemSounds={strip.isSystemSounds} />
      <span className="compact-name" title={strip.displayName}>
        {strip.displayName}
      </span>
      <VolumeSlider
        orientation="horizontal"
        label={t('strip.volumeOf', { name: strip.displayName })}
        text={volumeTextFor(t, i18n.language, volumeScale, sessionDbMapping({ sessionVolumeCurve: volumeCurve }), { kind: 'session', backend: backendName })}
        volume={volume}
        disabled={locked}
        onVolume={onVolume}
      />
      {strip.disconnected ? (
        <span className="compact-unsupported">{t('strip.disconnected')}</span>
      ) : (
        <MuteButton
          name={strip.displayName}
          flow="render"
          muted={strip.muted}
          disabled={locked}
          words={words}
          onToggle={() =>
            send(
              { type: 'set-mute', sessionIds: strip.sessionIds, muted: !strip.muted },
              t(strip.muted ? 'strip.unmuteFailed' : 'strip.muteFailed', { name: strip.displayName }),
            )
          }
        />
      )}
    </li>
  );
}
