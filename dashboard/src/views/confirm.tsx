/** A change waiting for the owner's yes: its summary and Confirm / Cancel, through POST /api/confirmations/:id. */
import { useState } from 'preact/hooks';
import { errorText, post } from '../api.ts';
import type { Translate } from '../i18n.ts';
import { live } from '../live.ts';
import type { ConfirmationView } from '../types.ts';

export function ConfirmBar(props: { confirmation: ConfirmationView; t: Translate; canControl: boolean; onSettled?: (decision: 'confirm' | 'cancel') => void }) {
  const { confirmation: c, t } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const decide = async (decision: 'confirm' | 'cancel') => {
    setBusy(true);
    setError(undefined);
    try {
      await post(`/api/confirmations/${encodeURIComponent(c.confirmationId)}`, { decision });
      props.onSettled?.(decision);
      live.refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="confirm" role="group" aria-label={t('pending')} data-confirmation={c.confirmationId}>
      <p>
        {t('pending')}: <strong>{c.summary}</strong>
      </p>
      <button type="button" class="primary" disabled={busy || !props.canControl} onClick={() => decide('confirm')}>
        {t('confirm')}
      </button>
      <button type="button" disabled={busy || !props.canControl} onClick={() => decide('cancel')}>
        {t('cancel')}
      </button>
      {error ? <p role="alert">{error}</p> : null}
    </div>
  );
}
