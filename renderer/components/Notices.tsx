// Everything the user must notice without being blocked: the connection state, the
// backend's notice (e.g. a fallback to the simulator) and failed commands.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useMixer } from '../app/mixer-context';
import type { ErrorNotice } from '../state/store';
import { CloseIcon, WarningIcon } from './icons';

const ERROR_VISIBLE_MS = 8000;

export function ConnectionBanner({ onRetry }: { onRetry?: () => void }) {
  const status = useMixer((state) => state.connection);
  const problem = useMixer((state) => state.connectionProblem);
  const { t } = useTranslation();
  if (status === 'reconnecting') {
    return (
      <div className="banner banner-error" role="alert" data-testid="connection-banner">
        <WarningIcon className="banner-icon" />
        <span className="banner-text">{problem ?? t('notices.reconnecting')}</span>
        {onRetry && (
          <button type="button" className="button" onClick={onRetry}>
            {t('notices.retry')}
          </button>
        )}
      </div>
    );
  }
  if (status === 'unavailable') {
    return (
      <div className="banner banner-error" role="alert" data-testid="connection-banner">
        <WarningIcon className="banner-icon" />
        <span className="banner-text">{problem ?? t('notices.unreachable')}</span>
      </div>
    );
  }
  return null;
}

/** The backend lost its audio system (e.g. the sound server stopped): nothing can be changed until it is back. */
export function BackendDisconnectedBanner() {
  const reason = useMixer((state) => (state.connection === 'open' ? (state.backend?.disconnected ?? null) : null));
  const { t } = useTranslation();
  if (reason === null) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="backend-disconnected-banner">
      <WarningIcon className="banner-icon" />
      <span className="banner-text">{t('notices.audioUnavailable', { reason })}</span>
    </div>
  );
}

export function BackendNotice() {
  const notice = useMixer((state) => state.backend?.notice ?? null);
  if (notice === null) return null;
  return (
    <div className="banner banner-warning" role="status" data-testid="backend-notice">
      <WarningIcon className="banner-icon" />
      <span className="banner-text">{notice}</span>
    </div>
  );
}

export function ErrorToasts() {
  const errors = useMixer((state) => state.errors);
  return (
    <div className="toasts" aria-live="assertive" aria-relevant="additions">
      {errors.map((notice) => (
        <ErrorToast key={notice.id} notice={notice} />
      ))}
    </div>
  );
}

function ErrorToast({ notice }: { notice: ErrorNotice }) {
  const dismiss = useMixer((state) => state.dismissError);
  const { t } = useTranslation();
  useEffect(() => {
    const timer = setTimeout(() => dismiss(notice.id), ERROR_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [dismiss, notice.id]);
  return (
    <div className="toast" data-testid="error-toast">
      <WarningIcon className="toast-icon" />
      <span className="toast-text">{notice.message}</span>
      <button type="button" className="icon-button" aria-label={t('notices.dismiss')} onClick={() => dismiss(notice.id)}>
        <CloseIcon className="icon-button-glyph" />
      </button>
    </div>
  );
}
