// The caller's personal API tokens (GET/POST /api/v1/tokens, DELETE
// /api/v1/tokens/{id}). The token itself is in the create answer only.
import { del, get, post } from '../api/client';
import type { Page } from '../api/types';

export interface ApiToken {
  id: string;
  name: string;
  token_prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export type CreatedToken = ApiToken & { token: string };

export const EXPIRY_CHOICES = [
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: '365d', label: '1 year' },
  { value: '', label: 'Never' },
];

export const tokensKey = ['tokens'] as const;
export const tokensQuery = { queryKey: tokensKey, queryFn: () => get<Page<ApiToken>>('/api/v1/tokens') };

export const createToken = (name: string, expiresIn: string) =>
  post<CreatedToken>('/api/v1/tokens', expiresIn ? { name, expires_in: expiresIn } : { name });
export const revokeToken = (id: string) => del<void>(`/api/v1/tokens/${encodeURIComponent(id)}`);

// active, revoked or expired (at `now`).
export function tokenState(t: ApiToken, now = Date.now()): 'active' | 'revoked' | 'expired' {
  if (t.revoked_at) return 'revoked';
  if (t.expires_at && Date.parse(t.expires_at) <= now) return 'expired';
  return 'active';
}
