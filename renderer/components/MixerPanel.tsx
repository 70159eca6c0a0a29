// One device's mixer, as Sndvol lays it out: the Device column, a divider, then one
// strip per application session. Used for playback, and for recording when opted in.
import { useShallow } from 'zustand/react/shallow';
import type { Flow } from '../../native-bridge/types';
import { useMixer } from '../app/mixer-context';
import { selectStrips } from '../state/selectors';
import { DeviceStrip } from './DeviceStrip';
import { SessionStrip } from './SessionStrip';
import { useGrowingList } from './use-growing-list';

export function MixerPanel({ deviceId, flow }: { deviceId: string; flow: Flow }) {
  // Only the strip keys: a volume change re-renders one strip, not this list.
  const stripKeys = useMixer(useShallow((state) => selectStrips(state, deviceId, flow).map((strip) => strip.key)));
  const mountedKeys = useGrowingList(stripKeys);
  const kind = flow === 'render' ? 'playback' : 'recording';

  return (
    <div className="mixer-panel" data-flow={flow}>
      <section className="mixer-section device-section" aria-label={flow === 'render' ? 'Device' : 'Recording device'}>
        <h2 className="section-caption">Device</h2>
        <DeviceStrip deviceId={deviceId} />
      </section>
      <div className="section-divider" role="presentation" />
      <section
        className="mixer-section applications-section"
        aria-label={flow === 'render' ? 'Applications' : 'Recording applications'}
      >
        <h2 className="section-caption">Applications</h2>
        {stripKeys.length > 0 ? (
          <div className="strip-row" data-testid={`${flow}-strips`}>
            {mountedKeys.map((key) => (
              <SessionStrip key={key} stripKey={key} deviceId={deviceId} flow={flow} />
            ))}
          </div>
        ) : (
          <p className="empty-note">No application is using this {kind} device.</p>
        )}
      </section>
    </div>
  );
}
