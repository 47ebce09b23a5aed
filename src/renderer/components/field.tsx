import { useId, useState, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { HangarError } from '../../shared/errors/hangar-error';
import { Icons } from './icons';
import { ExtraIcons } from './extra-icons';
import './fields.css';

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Under the label: what belongs here. */
  description?: ReactNode;
  /** A plain validation message, or a HangarError (message + hint) from main. */
  error?: string | HangarError | undefined;
  /** Shown after the label, e.g. "optional". */
  qualifier?: string;
  /** A password field with a Show / Hide toggle. */
  secret?: boolean;
  /** Extra control inside the field row, after the input. */
  trailing?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A labelled text input whose description and error are tied to it (aria-describedby), so a screen
 * reader hears why it is invalid when it gets focus, and the error sits next to the field it is about.
 */
export function Field({ label, value, onChange, description, error, qualifier, secret = false, trailing, className, ref, ...rest }: FieldProps): ReactNode {
  const id = useId();
  const descriptionId = `${id}-description`;
  const errorId = `${id}-error`;
  const [revealed, setRevealed] = useState(false);
  const describedBy = [description ? descriptionId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const message = error instanceof HangarError ? error.message : error;
  const hint = error instanceof HangarError ? error.hint : undefined;

  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
        {qualifier && <span className="field__qualifier"> ({qualifier})</span>}
      </label>
      {description && (
        <p className="field__description" id={descriptionId}>
          {description}
        </p>
      )}
      <div className="field__row">
        <input
          ref={ref}
          id={id}
          className="field__input"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          type={secret && !revealed ? 'password' : 'text'}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          {...rest}
        />
        {secret && (
          <button
            type="button"
            className="icon-button field__toggle"
            aria-pressed={revealed}
            aria-label={`Show ${label.toLowerCase()}`}
            title={revealed ? 'Hide' : 'Show'}
            onClick={() => setRevealed((shown) => !shown)}
          >
            {revealed ? <ExtraIcons.eyeOff size={16} /> : <ExtraIcons.eye size={16} />}
          </button>
        )}
        {trailing}
      </div>
      {message && (
        <div className="field__error" id={errorId}>
          <Icons.alert size={14} className="field__error-icon" />
          <div>
            <p className="field__error-message">{message}</p>
            {hint && <p className="field__error-hint">{hint}</p>}
          </div>
        </div>
      )}
    </div>
  );
}

export interface SelectFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  description?: ReactNode;
  disabled?: boolean;
}

export function SelectField({ label, value, onChange, children, description, disabled }: SelectFieldProps): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {description && (
        <p className="field__description" id={`${id}-description`}>
          {description}
        </p>
      )}
      <select
        id={id}
        className="select"
        value={value}
        disabled={disabled}
        aria-describedby={description ? `${id}-description` : undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        {children}
      </select>
    </div>
  );
}
