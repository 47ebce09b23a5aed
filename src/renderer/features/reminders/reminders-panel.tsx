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
  const [error, setError] = useState<HangarError>();

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
      <ReminderRule
        label="Remind me when a GPU instance has run longer than"
        enabled={reminders.gpuHours.enabled}
        amount={reminders.gpuHours.hours}
        fieldLabel="Hours"
        range={HOURS}
        rangeError={`From ${HOURS.min} to ${HOURS.max} hours.`}
        onChange={(enabled, hours) => save({ gpuHours: { enabled, hours } })}
      />
      <ReminderRule
        label="Remind me when my running instances together cost more than"
        enabled={reminders.burnRate.enabled}
        amount={reminders.burnRate.dollarsPerHour}
        fieldLabel="Dollars per hour"
        range={DOLLARS}
        rangeError={`From $${DOLLARS.min} to $${DOLLARS.max.toLocaleString('en-US')} per hour.`}
        onChange={(enabled, dollarsPerHour) => save({ burnRate: { enabled, dollarsPerHour } })}
      />
    </section>
  );
}

interface ReminderRuleProps {
  label: string;
  enabled: boolean;
  /** The saved amount; the field keeps what is typed until it is a sensible one. */
  amount: number;
  fieldLabel: string;
  range: { min: number; max: number };
  rangeError: string;
  onChange: (enabled: boolean, amount: number) => void;
}

/** One rule: a checkbox and its threshold, saved as changed (the number once it is in range). */
function ReminderRule({ label, enabled, amount, fieldLabel, range, rangeError, onChange }: ReminderRuleProps): ReactNode {
  const [text, setText] = useState(String(amount));
  const value = parse(text, range);
  return (
    <div className="reminder-rule">
      <label className="reminder-rule__check">
        <input
          type="checkbox"
          checked={enabled}
          onChange={(event) => {
            if (event.target.checked) askNotificationPermission();
            onChange(event.target.checked, value ?? amount);
          }}
        />
        {label}
      </label>
      <Field
        label={fieldLabel}
        value={text}
        inputMode="decimal"
        onChange={(next) => {
          setText(next);
          const parsed = parse(next, range);
          if (parsed !== undefined) onChange(enabled, parsed);
        }}
        error={value === undefined ? rangeError : undefined}
      />
    </div>
  );
}
