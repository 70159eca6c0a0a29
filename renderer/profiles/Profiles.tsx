// Profiles from the title row: save every app's volume, mute and output device under a name
// (the engine host reads them from the sessions: core/mixer-commands.ts), apply one, delete
// one. A profile the host could not read is reported here; the others stay usable.
import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Profile } from '../../core/contract';
import { useCommand, useMixer } from '../app/mixer-context';
import { HeaderPanel } from '../components/HeaderPanel';
import { ProfilesIcon } from '../components/icons';
import { formatMinute } from '../timeline/format';

/** The contract's limit on a user's name (ProfileNameSchema). */
const NAME_MAX = 100;

export function ProfilesButton() {
  const problems = useMixer((state) => state.profiles.problems.length);
  const { t } = useTranslation();
  return (
    <HeaderPanel label={t('profiles.button')} icon={<ProfilesIcon />} title={t('profiles.title')} hint={t('profiles.hint')} badge={problems} testId="profiles">
      <ProfilesPanel />
    </HeaderPanel>
  );
}

function ProfilesPanel() {
  const { profiles, problems } = useMixer((state) => state.profiles);
  const online = useMixer((state) => state.connection === 'open');
  const send = useCommand();
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const wanted = name.trim();
  const replaces = profiles.some((profile) => profile.name === wanted);
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (wanted === '') return;
    send({ type: 'save-profile', name: wanted }, t('profiles.saveFailed', { name: wanted }));
    setName('');
  };
  return (
    <>
      {problems.length > 0 && (
        <div className="profile-problems" role="alert">
          <p>{t('profiles.problems', { count: problems.length })}</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <form className="profile-save" onSubmit={save}>
        <input
          className="profile-name"
          aria-label={t('profiles.nameLabel')}
          placeholder={t('profiles.namePlaceholder')}
          value={name}
          maxLength={NAME_MAX}
          onChange={(event) => setName(event.currentTarget.value)}
        />
        <button type="submit" className="button" disabled={!online || wanted === ''} title={t('profiles.saveHint')}>
          {t(replaces ? 'profiles.replace' : 'profiles.save')}
        </button>
      </form>
      {profiles.length === 0 ? (
        <p className="header-panel-empty">{t('profiles.none')}</p>
      ) : (
        <ul className="profile-list">
          {profiles.map((profile) => (
            <ProfileItem key={profile.name} profile={profile} online={online} />
          ))}
        </ul>
      )}
    </>
  );
}

function ProfileItem({ profile, online }: { profile: Profile; online: boolean }) {
  const send = useCommand();
  const { t, i18n } = useTranslation();
  const nameId = useId();
  // Deleting asks once more in place: a saved profile is the user's work.
  const [confirming, setConfirming] = useState(false);
  const { name } = profile;
  const apps = Object.keys(profile.apps).length;
  return (
    <li className="profile-item" aria-labelledby={nameId}>
      <span className="profile-what">
        <span id={nameId} className="profile-title" title={name}>
          {name}
        </span>
        <span className="profile-detail">
          {t('profiles.detail', {
            count: apps,
            saved: formatMinute(profile.savedAt, i18n.language),
          })}
        </span>
      </span>
      <span className="header-panel-actions">
        {confirming ? (
          <>
            <button
              type="button"
              className="button button-danger"
              aria-describedby={nameId}
              autoFocus
              disabled={!online}
              onClick={() => send({ type: 'delete-profile', name }, t('profiles.deleteFailed', { name }))}
            >
              {t('profiles.confirmDelete')}
            </button>
            <button type="button" className="button" aria-describedby={nameId} onClick={() => setConfirming(false)}>
              {t('profiles.cancel')}
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="button"
              aria-describedby={nameId}
              disabled={!online}
              title={t('profiles.applyHint')}
              onClick={() => send({ type: 'apply-profile', name }, t('profiles.applyFailed', { name }))}
            >
              {t('profiles.apply')}
            </button>
            <button type="button" className="button" aria-describedby={nameId} disabled={!online} onClick={() => setConfirming(true)}>
              {t('profiles.delete')}
            </button>
          </>
        )}
      </span>
    </li>
  );
}
