// The bell's server calls: the unread count, the newest notifications, and
// marking them read. Every key starts with 'notifications', so one
// invalidation refreshes the bell.
import { get, post } from '../api/client';
import type { Page } from '../api/types';
import type { NotificationItem } from './types';

export const UNREAD_LIMIT = 100; // the count reads "99+" beyond

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  newest: ['notifications', 'newest'] as const,
};

export const unreadQuery = {
  queryKey: notificationKeys.unread,
  queryFn: () => get<Page<NotificationItem>>('/api/v1/notifications', { unread: true, limit: UNREAD_LIMIT }),
  refetchInterval: 120_000, // a safety net: the stream keeps it fresh
};

export const newestQuery = {
  queryKey: notificationKeys.newest,
  queryFn: () => get<Page<NotificationItem>>('/api/v1/notifications', { limit: 20 }),
};

export const markRead = (id: string) => post<unknown>(`/api/v1/notifications/${encodeURIComponent(id)}/read`);
export const markAllRead = () => post<{ marked_read: number }>('/api/v1/notifications/read-all');
