// One device's mixer, as Sndvol lays it out: the Device column, a divider, then one
// strip per application session. Used for playback, and for recording when opted in.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Flow } from '../../native-bridge/types';
import { useMixer } from '../app/mixer-context';
import { selectVisibleStripKeys } from '../state/selectors';
import { DeviceStrip } from './DeviceStrip';
import { SessionStrip } from './SessionStrip';
import { useStripRuns } from './strip-runs';
import { useGrowingList } from './use-growing-list';

/** `deviceName`: given where several panels share a window, so each one's regions are named apart. */
export function MixerPanel({ deviceId, flow, deviceName }: { deviceId: string; flow: Flow; deviceName?: string }) {
  // Only the strip keys (one array while they hold): a volume change re-renders one strip, not this list.
  const stripKeys = useMixer((state) => selectVisibleStripKeys(state, deviceId, flow));
  const runs = useStripRuns(useGrowingList(stripKeys));
  const { t } = useTranslation();

  return (
    <div className="mixer-panel" data-flow={flow}>
      <section className="mixer-section device-section" aria-label={
          deviceName === undefined
            ? t(flow === 'render' ? 'panel.device' : 'panel.recordingDevice')
            : t('panel.deviceOf', { name: deviceName })
        }>
        <h2 className="section-caption">{t('panel.device')}</h2>
        <DeviceStrip deviceId={deviceId} />
      </section>
      <div className="section-divider" role="presentation" />
      <section
        className="mixer-section applications-section"
        aria-label={
          deviceName === undefined
            ? t(flow === 'render' ? 'panel.applications' : 'panel.recordingApplications')
            : t('panel.applicationsOf', { name: deviceName })
        }
      >
        <h2 className="section-caption">{t('panel.applications')}</h2>
        {stripKeys.length > 0 ? (
          <div className="strip-row" data-testid={`${flow}-strips`}>
            {runs.map((run) => (
              <StripRunView key={run.id} keys={run.keys} deviceId={deviceId} flow={flow} />
            ))}
          </div>
        ) : (
          <p className="empty-note">{t(flow === 'render' ? 'panel.emptyPlayback' : 'panel.emptyRecording')}</p>
        )}
      </section>
    </div>
  );
}

/** One run of strips (strip-runs.ts): re-rendered only when its keys change. */
const StripRunView = memo(function StripRunView({ keys, deviceId, flow }: { keys: readonly string[]; deviceId: string; flow: Flow }) {
  return keys.map((key) => <SessionStrip key={key} stripKey={key} deviceId={deviceId} flow={flow} />);
});
