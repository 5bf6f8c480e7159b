// One API token: name, prefix (never the token), created, last used,
// expiry, and Revoke (with a confirmation saying what stops working).
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';
import { ConfirmAction } from './ConfirmAction';
import { revokeToken, tokensKey, tokenState, type ApiToken } from './tokens';

const STATE_BADGE = {
  active: { status: 'success', label: 'Active' },
  revoked: { status: 'cancelled', label: 'Revoked' },
  expired: { status: 'skipped', label: 'Expired' },
} as const;

export function TokenRow({ token: t }: { token: ApiToken }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const state = tokenState(t);
  return (
    <tr data-testid="token-row" data-token-id={t.id} data-state={state} className="border-b border-border">
      <td className="py-2 pr-3 pl-3 text-sm font-medium">{t.name}</td>
      <td className="py-2 pr-3 font-mono text-xs">{t.token_prefix}…</td>
      <td className="py-2 pr-3">
        <StatusBadge status={STATE_BADGE[state].status} label={STATE_BADGE[state].label} />
      </td>
      <td className="py-2 pr-3 text-sm whitespace-nowrap">
        <RelativeTime iso={t.created_at} />
      </td>
      <td className="py-2 pr-3 text-sm whitespace-nowrap">{t.last_used_at ? <RelativeTime iso={t.last_used_at} /> : <span className="text-muted">Never used</span>}</td>
      <td className="py-2 pr-3 text-sm whitespace-nowrap">{t.expires_at ? <RelativeTime iso={t.expires_at} /> : <span className="text-muted">Never</span>}</td>
      <td className="py-2 pr-3 text-right">
        <Button
          size="sm"
          variant="danger"
          data-testid="token-revoke"
          disabled={state !== 'active'}
          reason={state === 'revoked' ? 'Already revoked' : state === 'expired' ? 'Already expired' : undefined}
          onClick={() => setConfirming(true)}
        >
          Revoke
        </Button>
        {confirming && (
          <ConfirmAction
            title={`Revoke the token “${t.name}”?`}
            consequence={
              <>
                Every script or CLI using <code className="font-mono">{t.token_prefix}…</code> is refused from now on (401). This cannot be undone; create a new token
                to replace it.
              </>
            }
            confirmLabel="Revoke token"
            onCancel={() => setConfirming(false)}
            onConfirm={async () => {
              await revokeToken(t.id);
              setConfirming(false);
              await client.invalidateQueries({ queryKey: tokensKey });
            }}
          />
        )}
      </td>
    </tr>
  );
}
