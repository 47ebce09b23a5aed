import { useId, type ReactNode } from 'react';
import { VOLUME_TYPE_LABELS } from './storage-format';

/** The EBS volume types, each with what it is for (the grow and add forms). */
export function VolumeTypeSelect({ value, onChange }: { value: string; onChange: (type: string) => void }): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        Volume type
      </label>
      <select id={id} className="field__input" value={value} onChange={(e) => onChange(e.target.value)}>
        {Object.entries(VOLUME_TYPE_LABELS).map(([type, label]) => (
          <option key={type} value={type}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
