import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/api-client';
import { Icons } from '../components/icons';

/**
 * What start-up had to recover (a damaged settings file, records that could not be read), said once at
 * the top of the window until dismissed: nothing is dropped without the user hearing of it.
 */
export function RecoveryBanner(): ReactNode {
  const [notes, setNotes] = useState<readonly string[]>([]);
  useEffect(() => {
    let live = true;
    api.app.recoveryNotes().then(
      (found) => live && setNotes(found),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (notes.length === 0) return null;
  return (
    <div className="notice notice--banner" role="alert" aria-label="Settings were recovered">
      <Icons.alert className="notice__icon" size={18} />
      <div className="notice__body">
        <p className="notice__title">Hangar recovered your settings</p>
        {notes.map((note) => (
          <p className="notice__text" key={note}>
            {note}
          </p>
        ))}
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotes([])}>
        <Icons.close size={16} />
      </button>
    </div>
  );
}
