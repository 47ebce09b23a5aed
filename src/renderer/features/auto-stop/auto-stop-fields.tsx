import { useId, type ReactNode } from 'react';
import { autoStopCpuSchema, autoStopMinutesSchema, fieldProblem, type AutoStopChoice } from '../../../shared/models/auto-stop';
import { Field } from '../../components/field';
import './auto-stop.css';

export interface AutoStopProblems {
  readonly minutes?: string | undefined;
  readonly cpuPercent?: string | undefined;
}

/** The same checks main makes (N ≥ 5 whole minutes, at most a day; CPU strictly between 0 and 100 %). */
export function autoStopProblems(choice: AutoStopChoice): AutoStopProblems {
  if (!choice.on) return {};
  const minutes = fieldProblem(autoStopMinutesSchema, choice.minutes);
  const cpuPercent = fieldProblem(autoStopCpuSchema, choice.cpuPercent);
  return { ...(minutes === undefined ? {} : { minutes }), ...(cpuPercent === undefined ? {} : { cpuPercent }) };
}

export interface AutoStopFieldsProps {
  /** The switch's accessible name, e.g. "Stop notebook when idle". */
  switchLabel: string;
  value: AutoStopChoice;
  onChange: (next: AutoStopChoice) => void;
  /** Under the fields: the watcher option, the rule in words. */
  children?: ReactNode;
  disabled?: boolean;
}

/** The switch and the two numbers of "Stop when idle", checked at the field as they are typed. */
export function AutoStopFields({ switchLabel, value, onChange, children, disabled = false }: AutoStopFieldsProps): ReactNode {
  const switchId = useId();
  const problems = autoStopProblems(value);
  return (
    <div className="auto-stop">
      <label className="auto-stop__switch" htmlFor={switchId}>
        <input
          id={switchId}
          type="checkbox"
          role="switch"
          checked={value.on}
          disabled={disabled}
          onChange={(event) => onChange({ ...value, on: event.target.checked })}
        />
        <span>{switchLabel}</span>
      </label>
      {value.on && (
        <>
          <div className="auto-stop__fields">
            <Field
              label="Idle minutes"
              value={value.minutes}
              onChange={(minutes) => onChange({ ...value, minutes })}
              inputMode="numeric"
              description="At least 5; CloudWatch counts in 5-minute periods."
              error={problems.minutes}
              disabled={disabled}
            />
            <Field
              label="CPU below (%)"
              value={value.cpuPercent}
              onChange={(cpuPercent) => onChange({ ...value, cpuPercent })}
              inputMode="decimal"
              description="Average CPU under this counts as idle."
              error={problems.cpuPercent}
              disabled={disabled}
            />
          </div>
          {children}
        </>
      )}
    </div>
  );
}
