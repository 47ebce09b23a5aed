import type { ReactNode } from 'react';
import type { Reminder } from '../../../shared/models/reminders';
import { Button } from '../../components/button';
import { Icons } from '../../components/icons';
import { useReminders } from './use-reminders';
import './reminders.css';

export interface ReminderBannerProps {
  /** Brings the reminder's instance into view on the Instances screen. */
  onShowInstance: (reminder: Reminder) => void;
}

/**
 * Above every screen while something is still costing money: a GPU instance past the hours set, the burn
 * rate past the dollars set, or what kept running while Hangar was closed. Each also came as a desktop
 * notification; this is where it stays until dismissed or its cause is gone.
 */
export function ReminderBanner({ onShowInstance }: ReminderBannerProps): ReactNode {
  const { reminders, dismiss } = useReminders(onShowInstance);
  return (
    <section className="reminders" aria-label="Reminders" aria-live="polite">
      {reminders.map((reminder) => (
        <div key={reminder.key} className="reminder">
          <Icons.costs size={16} className="reminder__icon" />
          <div className="reminder__body">
            <p className="reminder__title">{reminder.title}</p>
            <p className="reminder__text">{reminder.body}</p>
          </div>
          <div className="reminder__actions">
            {reminder.instance && (
              <Button size="s" onClick={() => onShowInstance(reminder)}>
                Show {reminder.instance.name}
              </Button>
            )}
            <Button size="s" variant="ghost" onClick={() => dismiss(reminder.key)} aria-label={`Dismiss: ${reminder.title}`}>
              Dismiss
            </Button>
          </div>
        </div>
      ))}
    </section>
  );
}
