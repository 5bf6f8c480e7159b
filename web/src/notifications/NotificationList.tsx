// The bell's popover: the newest notifications (unread ones marked), each a
// link to what it is about where there is one, "Mark read" per item and
// "Mark all read".
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Button } from '../ui/Button';
import { ErrorState } from '../ui/ErrorState';
import { RelativeTime } from '../ui/RelativeTime';
import { SkeletonRows } from '../ui/Skeleton';
import { newestQuery } from './api';
import { notificationLink, notificationTitle } from './text';
import type { NotificationItem } from './types';

export function NotificationList({
  id,
  unread,
  onNavigate,
  onRead,
  onReadAll,
  readAllBusy,
}: {
  id: string;
  unread: number;
  onNavigate: (n: NotificationItem) => void;
  onRead: (id: string) => void;
  onReadAll: () => void;
  readAllBusy: boolean;
}) {
  const q = useQuery(newestQuery);
  const items = q.data?.items ?? [];
  return (
    <div
      id={id}
      role="region"
      aria-label="Notifications"
      data-testid="notification-panel"
      className="absolute right-0 z-40 mt-1 flex max-h-[70vh] w-96 flex-col rounded border border-border bg-surface shadow-lg"
    >
      <div className="flex items-center justify-between border-b border-border px-3 py-2">
        <h2 className="text-sm font-semibold">Notifications</h2>
        <Button
          size="sm"
          variant="ghost"
          data-testid="notification-read-all"
          disabled={unread === 0 || readAllBusy}
          reason={unread === 0 ? 'Nothing unread' : readAllBusy ? 'Marking…' : undefined}
          onClick={onReadAll}
        >
          Mark all read
        </Button>
      </div>
      <div className="overflow-y-auto">
        {q.isPending && (
          <div className="p-3">
            <SkeletonRows rows={3} label="Loading notifications" />
          </div>
        )}
        {q.isError && (
          <div className="p-3">
            <ErrorState title="Notifications could not be loaded" error={q.error} onRetry={() => void q.refetch()} />
          </div>
        )}
        {q.data && items.length === 0 && (
          <p className="p-3 text-sm text-muted">
            No notifications yet. Approval requests for you, decisions on your deploys and your runs finishing appear here.
          </p>
        )}
        {items.length > 0 && (
          <ul>
            {items.map((n) => (
              <Item key={n.id} n={n} onNavigate={onNavigate} onRead={onRead} />
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function Item({ n, onNavigate, onRead }: { n: NotificationItem; onNavigate: (n: NotificationItem) => void; onRead: (id: string) => void }) {
  const title = notificationTitle(n);
  const link = notificationLink(n);
  return (
    <li data-testid="notification-item" data-read={n.read} data-type={n.type} className={`flex items-start gap-2 border-b border-border px-3 py-2 last:border-b-0 ${n.read ? '' : 'bg-accent/5'}`}>
      <span aria-hidden="true" className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${n.read ? 'bg-transparent' : 'bg-accent'}`} />
      <div className="min-w-0 flex-1">
        {link ? (
          <Link to={link} onClick={() => onNavigate(n)} className="text-sm text-fg hover:underline">
            {title}
          </Link>
        ) : (
          <p className="text-sm">{title}</p>
        )}
        <p className="text-xs text-muted">
          {n.read ? '' : <span className="sr-only">Unread, </span>}
          <RelativeTime iso={n.created_at} />
        </p>
      </div>
      {!n.read && (
        <Button size="sm" variant="ghost" onClick={() => onRead(n.id)} aria-label={`Mark read: ${title}`}>
          Mark read
        </Button>
      )}
    </li>
  );
}
