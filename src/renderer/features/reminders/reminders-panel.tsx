import { useId, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { ReminderSettings, SettingsPatch } from '../../../shared/models/settings';
import { toHangarError } from '../../api/to-hangar-error';
import { askNotificationPermission } from '../../components/desktop-notification';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { useSettings } from '../../state/use-settings';
import './reminders.css';

const HOURS = { min: 1, max: 720 };
const DOLLARS = { min: 0.01, max: 100_000 };

function parse(text: string, range: { min: number; max: number }): number | undefined {
  const value = Number(text.trim().replace(/^\$/, ''));
  return text.trim() === '' || !Number.isFinite(value) || value < range.min || value > range.max ? undefined : value;
}

/** The two reminder rules, saved as they are changed (a number only once it is a sensible one). */
export function RemindersPanel(): ReactNode {
  const { settings, update } = useSettings();
  if (!settings) return null;
  return <RemindersForm reminders={settings.reminders} update={update} />;
}

function RemindersForm({ reminders, update }: { reminders: ReminderSettings; update: (patch: SettingsPatch) => Promise<void> }): ReactNode {
  const headingId = useId();
  const [hours, setHours] = useState(String(reminders.gpuHours.hours));
  const [dollars, setDollars] = useState(String(reminders.burnRate.dollarsPerHour));
  const [error, setError] = useState<HangarError>();
  const hoursValue = parse(hours, HOURS);
  const dollarsValue = parse(dollars, DOLLARS);

  function save(patch: NonNullable<SettingsPatch['reminders']>): void {
    setError(undefined);
    update({ reminders: patch }).catch((caught: unknown) => setError(toHangarError(caught)));
  }

  return (
    <section className="reminders-panel" aria-labelledby={headingId}>
      <div>
        <h2 className="reminders-panel__title" id={headingId}>
          Reminders
        </h2>
        <p className="reminders-panel__description">
          A desktop notification and a note above every screen when an instance keeps costing money — also at start-up for what kept running while Hangar
          was closed. While one is on, Hangar looks at every region of the active account every 10 minutes. Reminders only remind: nothing is stopped.
        </p>
      </div>
      {error && <ErrorNotice error={error} onDismiss={() => setError(undefined)} />}
      <div className="reminder-rule">
        <label className="reminder-rule__check">
          <input
            type="checkbox"
            checked={reminders.gpuHours.enabled}
            onChange={(event) => {
              if (event.target.checked) askNotificationPermission();
              save({ gpuHours: { enabled: event.target.checked, hours: hoursValue ?? reminders.gpuHours.hours } });
            }}
          />
          Remind me when a GPU instance has run longer than
        </label>
        <Field
          label="Hours"
          value={hours}
          inputMode="decimal"
          onChange={(text) => {
            setHours(text);
            const value = parse(text, HOURS);
            if (value !== undefined) save({ gpuHours: { enabled: reminders.gpuHours.enabled, hours: value } });
          }}
          error={hoursValue === undefined ? `From ${HOURS.min} to ${HOURS.max} hours.` : undefined}
        />
      </div>
      <div className="reminder-rule">
        <label className="reminder-rule__check">
          <input
            type="checkbox"
            checked={reminders.burnRate.enabled}
            onChange={(event) => {
              if (event.target.checked) askNotificationPermission();
              save({ burnRate: { enabled: event.target.checked, dollarsPerHour: dollarsValue ?? reminders.burnRate.dollarsPerHour } });
            }}
          />
          Remind me when my running instances together cost more than
        </label>
        <Field
          label="Dollars per hour"
          value={dollars}
          inputMode="decimal"
          onChange={(text) => {
            setDollars(text);
            const value = parse(text, DOLLARS);
            if (value !== undefined) save({ burnRate: { enabled: reminders.burnRate.enabled, dollarsPerHour: value } });
          }}
          error={dollarsValue === undefined ? `From $${DOLLARS.min} to $${DOLLARS.max.toLocaleString('en-US')} per hour.` : undefined}
        />
      </div>
    </section>
  );
}
