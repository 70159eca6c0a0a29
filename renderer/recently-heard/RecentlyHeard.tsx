// "What just made that sound?": the title row's button for the sessions that started playing
// in the last minutes (the engine host keeps the list: core/recently-heard.ts), each with
// its time, icon, device and app, and one click to mute it or hide its app.
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { RECENTLY_HEARD_MS } from '../../core/contract';
import { useCommand, useMixer } from '../app/mixer-context';
import { HeaderPanel } from '../components/HeaderPanel';
import { HistoryIcon } from '../components/icons';
import { StripIcon } from '../components/SessionStrip';
import type { HeardRow } from './heard-rows';
import { heardRows } from './heard-rows';

export function RecentlyHeardButton() {
  const count = useMixer((state) => state.recentlyHeard.length);
  const { t } = useTranslation();
  return (
    <HeaderPanel
      label={t('heard.button')}
      icon={<HistoryIcon />}
      title={t('heard.title')}
      hint={t('heard.hint', { minutes: RECENTLY_HEARD_MS / 60_000 })}
      badge={count}
      testId="recently-heard"
    >
      <HeardList />
    </HeaderPanel>
  );
}

function HeardList() {
  // Each piece as the store keeps it (stable until it changes); the rows are derived here.
  const recentlyHeard = useMixer((state) => state.recentlyHeard);
  const sessions = useMixer((state) => state.sessions);
  const devices = useMixer((state) => state.devices);
  const preferences = useMixer((state) => state.preferences);
  const online = useMixer((state) => state.connection === 'open');
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const rows = useMemo(() => heardRows({ recentlyHeard, sessions, devices, preferences, language }), [recentlyHeard, sessions, devices, preferences, language]);
  if (rows.length === 0) return <p className="header-panel-empty">{t('heard.empty', { minutes: RECENTLY_HEARD_MS / 60_000 })}</p>;
  return (
    <ul className="heard-list">
      {rows.map((row) => (
        <HeardItem key={row.sessionId} row={row} online={online} />
      ))}
    </ul>
  );
}

function HeardItem({ row, online }: { row: HeardRow; online: boolean }) {
  const send = useCommand();
  const { t } = useTranslation();
  const nameId = useId();
  const { name, muted, hidden } = row;
  return (
    <li className="heard-item" aria-labelledby={nameId}>
      <time className="heard-time">{row.clock}</time>
      <span className="heard-icon">
        <StripIcon icon={row.icon} isSystemSounds={row.isSystemSounds} />
      </span>
      <span className="heard-what">
        <span id={nameId} className="heard-name" title={name}>
          {name}
        </span>
        <span className="heard-device">
          {row.deviceName}
          {!row.live && ` · ${t('heard.ended')}`}
        </span>
      </span>
      <span className="header-panel-actions">
        <button
          type="button"
          className="button"
          aria-describedby={nameId}
          disabled={!online || !row.live}
          onClick={() =>
            send({ type: 'set-mute', sessionIds: [row.sessionId], muted: !muted }, t(muted ? 'strip.unmuteFailed' : 'strip.muteFailed', { name }))
          }
        >
          {t(muted ? 'menu.unmute' : 'menu.mute')}
        </button>
        <button
          type="button"
          className="button"
          aria-describedby={nameId}
          disabled={!online}
          onClick={() =>
            send(
              {
                type: 'set-app-preference',
                appKey: row.appKey,
                hidden: !hidden,
              },
              t(hidden ? 'menu.unhideFailed' : 'menu.hideFailed', { name }),
            )
          }
        >
          {t(hidden ? 'menu.unhide' : 'menu.hide')}
        </button>
      </span>
    </li>
  );
}
