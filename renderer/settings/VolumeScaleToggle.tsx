// Web mode's choice of volume scale: the desktop app has it on its settings page (kept in
// its settings file); web mode has no settings page, so the title row has this toggle and
// the choice is kept in the browser like web mode's other view choices (main.tsx).
import { useTranslation } from 'react-i18next';
import { useMixer } from '../app/mixer-context';
import { useDesktopApi } from '../desktop/desktop-context';

export function VolumeScaleToggle() {
  const desktop = useDesktopApi();
  const scale = useMixer((state) => state.volumeScale);
  const setScale = useMixer((state) => state.setVolumeScale);
  const { t } = useTranslation();
  if (desktop) return null;
  const decibel = scale === 'decibel';
  return (
    <button
      type="button"
      className="button"
      aria-pressed={decibel}
      title={t('volume.scaleToggleHint')}
      data-testid="volume-scale-toggle"
      onClick={() => setScale(decibel ? 'percent' : 'decibel')}
    >
      {t('volume.scaleToggle')}
    </button>
  );
}
