// A project's outgoing webhooks (admins): GET/POST /api/v1/projects/{id}/webhooks,
// DELETE …/{wid}, and each one's delivery log GET …/{wid}/deliveries.
import { del, get, post } from '../api/client';
import type { Page } from '../api/types';

export interface OutgoingWebhook {
  id: string;
  project_id: string;
  url: string;
  format: 'opzenix' | 'slack';
  events: string[];
  enabled: boolean;
  has_secret: boolean;
  created_at: string;
}

export interface NewOutgoingWebhook {
  url: string;
  secret: string;
  format: 'opzenix' | 'slack';
  events: string[];
  enabled: boolean;
}

export interface OutgoingDelivery {
  id: string;
  webhook_id: string;
  event: string;
  payload: unknown;
  status: 'pending' | 'delivered' | 'failed' | string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

// What the notifier posts (src/trigger/notifier.h); none chosen = every event.
export const WEBHOOK_EVENTS = [
  'approval_requested',
  'approval_decided',
  'execution_blocked',
  'execution_failed',
  'execution_finished',
  'deployment_complete',
  'deployment_failed',
  'deployment_rolled_back',
];

export const webhooksKey = (projectId: string) => ['outgoing-webhooks', projectId] as const;
const base = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}/webhooks`;

export const fetchWebhooks = (projectId: string) => get<Page<OutgoingWebhook>>(base(projectId));
export const createWebhook = (projectId: string, w: NewOutgoingWebhook) => post<OutgoingWebhook>(base(projectId), w);
export const deleteWebhook = (projectId: string, id: string) => del<void>(`${base(projectId)}/${encodeURIComponent(id)}`);
export const fetchWebhookDeliveries = (projectId: string, id: string) =>
  get<Page<OutgoingDelivery>>(`${base(projectId)}/${encodeURIComponent(id)}/deliveries`, { limit: 50 });

// A delivery's state in the status vocabulary, with its word.
export function deliveryLook(d: Pick<OutgoingDelivery, 'status' | 'attempts'>): { status: string; word: string } {
  if (d.status === 'delivered') return { status: 'success', word: 'Delivered' };
  if (d.status === 'failed') return { status: 'failed', word: `Failed after ${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}` };
  if (d.status === 'pending') return { status: 'queued', word: d.attempts ? `Retrying (attempt ${d.attempts + 1})` : 'Pending' };
  return { status: d.status, word: d.status };
}

export function eventWords(event: string): string {
  const w = event.replace(/_/g, ' ');
  return w.charAt(0).toUpperCase() + w.slice(1);
}
