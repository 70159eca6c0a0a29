// The header's switch for the event timeline: a small toggle button, so the title row
// keeps to one line in a Sndvol-sized window.
import { useTranslation } from 'react-i18next';
import { useMixer } from '../app/mixer-context';
import { titleTip } from '../components/TitleRow';

export function TimelineToggle() {
  const shown = useMixer((state) => state.showTimeline);
  const setShown = useMixer((state) => state.setShowTimeline);
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className="button timeline-toggle title-button"
      aria-pressed={shown}
      title={titleTip(t('timeline.toggle'), t(shown ? 'timeline.hide' : 'timeline.show'))}
      onClick={() => setShown(!shown)}
    >
      <TimelineIcon />
      <span className="title-label">{t('timeline.toggle')}</span>
    </button>
  );
}

function TimelineIcon() {
  return (
    <svg className="timeline-toggle-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M4 6h.01M4 12h.01M4 18h.01M8 6h12M8 12h12M8 18h12"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
      />
    </svg>
  );
}
