import { useId, type ReactNode } from 'react';
import type { ThemePreference } from '../../shared/models/settings';
import { Icons } from '../components/icons';

const OPTIONS: readonly { value: ThemePreference; label: string; Icon: (typeof Icons)['system'] }[] = [
  { value: 'system', label: 'System', Icon: Icons.system },
  { value: 'light', label: 'Light', Icon: Icons.light },
  { value: 'dark', label: 'Dark', Icon: Icons.dark },
];

export interface ThemeSwitchProps {
  value: ThemePreference;
  onChange: (theme: ThemePreference) => void;
}

/**
 * A segmented control built on native radio buttons: arrow keys, focus and the radiogroup semantics
 * come from the browser; the inputs are visually hidden behind their labels.
 */
export function ThemeSwitch({ value, onChange }: ThemeSwitchProps): ReactNode {
  const name = useId();
  const labelId = useId();
  return (
    <div className="theme-switch">
      <span className="theme-switch__label" id={labelId}>
        Theme
      </span>
      <div role="radiogroup" aria-labelledby={labelId} className="segmented">
        {OPTIONS.map(({ value: option, label, Icon }) => (
          <label key={option} className="segmented__option">
            <input
              type="radio"
              className="segmented__input"
              name={name}
              value={option}
              checked={value === option}
              onChange={() => onChange(option)}
            />
            <span className="segmented__face">
              <Icon size={14} />
              <span>{label}</span>
            </span>
          </label>
        ))}
      </div>
    </div>
  );
}
