// A project's GitHub integration (GET/PUT/DELETE /api/v1/projects/{id}/github)
// and the webhook deliveries it received (GET /api/v1/webhooks/deliveries,
// POST …/{id}/replay). The server never answers the secret or the token.
import { ApiError, del, get, post, put } from '../api/client';
import type { Page } from '../api/types';

export interface GithubIntegration {
  id: string;
  project_id: string;
  repository_owner: string;
  repository_name: string;
  full_name: string;
  api_base_url: string;
  repository_id: string | null;
  workflow_file: string | null;
  has_webhook_secret: boolean;
  has_token: boolean;
  webhook_url: string;
  content_type: string;
  events: string[];
  updated_at: string;
}

export interface GithubIntegrationInput {
  repository_owner: string;
  repository_name: string;
  webhook_secret?: string;
  token?: string;
  api_base_url?: string;
  workflow_file?: string;
}

export type DeliveryOutcome = 'pending' | 'processed' | 'ignored' | 'rejected' | 'failed';
export const OUTCOMES: DeliveryOutcome[] = ['pending', 'processed', 'ignored', 'rejected', 'failed'];

export interface WebhookDelivery {
  id: string;
  delivery_guid: string;
  project_id: string | null;
  event: string;
  action: string | null;
  signature_valid: boolean;
  body_bytes: number;
  received_at: string;
  processed_at: string | null;
  outcome: DeliveryOutcome;
  outcome_reason: string | null;
  execution_id: string | null;
  replay_of: string | null;
}

export const githubKey = (projectId: string) => ['github', projectId] as const;
export const deliveriesKey = (projectId: string) => ['webhook-deliveries', projectId] as const;

// The integration, or null when the project has none (404).
export async function fetchIntegration(projectId: string): Promise<GithubIntegration | null> {
  try {
    return await get<GithubIntegration>(`/api/v1/projects/${encodeURIComponent(projectId)}/github`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export const saveIntegration = (projectId: string, input: GithubIntegrationInput) =>
  put<GithubIntegration>(`/api/v1/projects/${encodeURIComponent(projectId)}/github`, input);
export const removeIntegration = (projectId: string) => del<void>(`/api/v1/projects/${encodeURIComponent(projectId)}/github`);

export const fetchDeliveries = (projectId: string, outcome: string, cursor?: string) =>
  get<Page<WebhookDelivery>>('/api/v1/webhooks/deliveries', { project_id: projectId, outcome, cursor, limit: 25 });
export const replayDelivery = (id: string) => post<WebhookDelivery>(`/api/v1/webhooks/deliveries/${encodeURIComponent(id)}/replay`);

// An outcome in the status vocabulary: tone, icon and word (ui/status.ts).
const OUTCOME_LOOK: Record<DeliveryOutcome, { status: string; word: string }> = {
  processed: { status: 'success', word: 'Processed' },
  pending: { status: 'queued', word: 'Pending' },
  ignored: { status: 'skipped', word: 'Ignored' },
  rejected: { status: 'rejected', word: 'Rejected' },
  failed: { status: 'failed', word: 'Failed' },
};

export function outcomeLook(outcome: string): { status: string; word: string } {
  return OUTCOME_LOOK[outcome as DeliveryOutcome] ?? { status: outcome, word: outcome };
}

// "push", "pull_request (opened)".
export function eventText(d: Pick<WebhookDelivery, 'event' | 'action'>): string {
  return d.action ? `${d.event} (${d.action})` : d.event;
}
