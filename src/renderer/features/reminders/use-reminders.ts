import { useCallback, useEffect, useRef, useState } from 'react';
import type { Reminder } from '../../../shared/models/reminders';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { connection } from '../../api/connection';
import { notifyDesktop } from '../../components/desktop-notification';

export interface RemindersController {
  readonly reminders: readonly Reminder[];
  dismiss(key: string): void;
}

/**
 * The reminders main has decided (main/services/reminders): the banner's list, kept current through
 * `reminders.changed`, and a desktop notification for each new one. New ones are taken with `takeNew`, which
 * hands each out once, so one window notifies and a window opened later still hears of what it missed.
 */
export function useReminders(onShow: (reminder: Reminder) => void): RemindersController {
  const [reminders, setReminders] = useState<readonly Reminder[]>([]);
  const show = useRef(onShow);
  useEffect(() => {
    show.current = onShow;
  });

  const notifyNew = useCallback(() => {
    api.reminders.takeNew().then(
      (fresh) => {
        for (const reminder of fresh) {
          notifyDesktop({ title: reminder.title, body: reminder.body, tag: `reminder-${reminder.key}`, onClick: () => show.current(reminder) });
        }
      },
      () => undefined,
    );
  }, []);

  const load = useCallback(() => {
    api.reminders.list().then(setReminders, () => undefined);
    notifyNew();
  }, [notifyNew]);

  useEffect(() => load(), [load]);
  useEffect(() => connection.onReconnect(load), [load]);
  useEffect(
    () =>
      subscribe.remindersChanged((next) => {
        setReminders(next);
        notifyNew();
      }),
    [notifyNew],
  );

  const dismiss = useCallback((key: string) => {
    setReminders((current) => current.filter((r) => r.key !== key));
    api.reminders.dismiss(key).then(setReminders, () => undefined);
  }, []);

  return { reminders, dismiss };
}
