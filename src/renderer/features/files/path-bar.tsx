import { useEffect, useRef, useState, type ReactNode } from 'react';
import { FileIcons } from './file-icons';
import { crumbsOf } from './remote-path';

export interface PathBarProps {
  /** The folder on screen (absolute); undefined before the first listing. */
  path: string | undefined;
  /** Resolves true when the folder opened (the editor closes then; on failure it stays for a correction). */
  onGo: (path: string) => Promise<boolean>;
  /** Bumped to open the editor from outside (Ctrl+L). */
  editRequest: number;
  /** The editor was left with Escape: focus goes back to the listing (the field it had is gone). */
  onCancel: () => void;
}

/**
 * The folder as clickable breadcrumbs; "Edit path" (or Ctrl+L, or a click on the bar's free space) turns it
 * into a text field where any path can be typed: absolute, relative to home, or starting with "~".
 */
export function PathBar({ path, onGo, editRequest, onCancel }: PathBarProps): ReactNode {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);

  function edit(): void {
    setDraft(path ?? '');
    setEditing(true);
  }

  // A new request from outside (Ctrl+L) opens the editor; adjusted during render, as React recommends.
  const [seenRequest, setSeenRequest] = useState(editRequest);
  if (editRequest !== seenRequest) {
    setSeenRequest(editRequest);
    edit();
  }

  useEffect(() => {
    if (editing) inputRef.current?.select();
  }, [editing]);

  if (editing) {
    return (
      <form
        className="path-bar path-bar--editing"
        onSubmit={(event) => {
          event.preventDefault();
          const wanted = draft.trim() === '' ? '~' : draft;
          void onGo(wanted).then((ok) => {
            if (ok) setEditing(false);
          });
        }}
      >
        <input
          ref={inputRef}
          className="field__input field__input--mono path-bar__input"
          aria-label="Path"
          value={draft}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              // Leaves the editor, not the whole browser.
              event.preventDefault();
              event.stopPropagation();
              setEditing(false);
              onCancel();
            }
          }}
          onBlur={(event) => {
            if (!event.currentTarget.form?.contains(event.relatedTarget)) setEditing(false);
          }}
        />
      </form>
    );
  }

  const crumbs = path === undefined ? [] : crumbsOf(path);
  return (
    <div
      className="path-bar"
      onClick={(event) => {
        if (event.target === event.currentTarget) edit();
      }}
    >
      <nav aria-label="Path" className="path-bar__crumbs">
        <ol>
          {crumbs.map((crumb, index) => {
            const last = index === crumbs.length - 1;
            return (
              <li key={crumb.path} className="path-bar__crumb">
                {index > 1 && (
                  <span className="path-bar__separator" aria-hidden="true">
                    /
                  </span>
                )}
                <button
                  type="button"
                  className="path-bar__segment"
                  aria-current={last ? 'location' : undefined}
                  aria-label={index === 0 ? 'Root folder /' : crumb.name}
                  title={crumb.path}
                  onClick={() => void onGo(crumb.path)}
                >
                  {crumb.name}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>
      <button type="button" className="icon-button path-bar__edit" aria-label="Edit path" title="Type a path (Ctrl+L)" onClick={edit}>
        <FileIcons.rename size={16} />
      </button>
    </div>
  );
}
