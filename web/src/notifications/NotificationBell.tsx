// The top bar's bell (data-testid notification-bell): the unread count, live
// from the event stream's notifications topic, and a popover with the newest
// notifications, each leading to what it is about; mark one or all read.
// A disclosure: the button says whether it is open (aria-expanded), Escape or
// a click elsewhere closes it and focus goes back to the button.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useRef, useState } from 'react';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { SHELL_LIVE_TOPICS } from '../shell/queries';
import { markAllRead, markRead, notificationKeys, unreadQuery } from './api';
import { NotificationList } from './NotificationList';
import { countText } from './text';
import { useClickAway } from '../ui/useClickAway';

const KEYS = [notificationKeys.all];
const ON_NOTIFICATIONS = { filter: (e: { topic: string }) => e.topic === 'notifications', intervalMs: 300 };

export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const client = useQueryClient();
  useLiveInvalidation(SHELL_LIVE_TOPICS, KEYS, ON_NOTIFICATIONS);
  const unread = useQuery(unreadQuery);
  const count = unread.data?.items.length ?? 0;
  const badge = countText(count, Boolean(unread.data?.next_cursor));
  const refresh = () => void client.invalidateQueries({ queryKey: notificationKeys.all });
  const readOne = useMutation({ mutationFn: markRead, onSettled: refresh });
  const readAll = useMutation({ mutationFn: markAllRead, onSettled: refresh });

  const closeAway = useCallback(() => setOpen(false), []);
  useClickAway(box, open, closeAway);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  return (
    <div
      ref={box}
      className="relative"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        data-testid="notification-bell"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={count > 0 ? `Notifications, ${badge} unread` : 'Notifications, none unread'}
        onClick={() => setOpen((o) => !o)}
        className="relative flex h-8 w-8 items-center justify-center rounded hover:bg-surface-2"
      >
        <BellIcon />
        {badge && (
          <span
            data-testid="notification-count"
            aria-hidden="true"
            className="absolute -top-0.5 -right-0.5 min-w-4 rounded-full bg-bad px-1 text-center text-[10px] leading-4 font-semibold text-surface tabular-nums"
          >
            {badge}
          </span>
        )}
      </button>
      {open && (
        <NotificationList
          id={panelId}
          unread={count}
          onNavigate={(n) => {
            if (!n.read) readOne.mutate(n.id);
            setOpen(false);
          }}
          onRead={(id) => readOne.mutate(id)}
          onReadAll={() => readAll.mutate()}
          readAllBusy={readAll.isPending}
        />
      )}
    </div>
  );
}

function BellIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5 fill-none stroke-current" strokeWidth="1.6">
      <path d="M10 2.5a5 5 0 0 0-5 5v3.2l-1.4 2.6a.6.6 0 0 0 .5.9h11.8a.6.6 0 0 0 .5-.9L15 10.7V7.5a5 5 0 0 0-5-5Z" />
      <path d="M8 16a2 2 0 0 0 4 0" />
    </svg>
  );
}
