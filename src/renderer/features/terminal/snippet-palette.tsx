import { useId, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Snippet } from '../../../shared/models/settings';
import { fillSnippet, snippetVariables } from '../../../shared/models/snippet-text';
import { Button } from '../../components/button';
import { copyText } from '../../components/clipboard';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { IS_MAC } from '../../components/platform';
import type { TerminalTab } from '../../state/terminals/terminal-tab';

export const SNIPPETS_SHORTCUT = IS_MAC ? '⌘⇧P' : 'Ctrl+Shift+P';

export interface SnippetPaletteProps {
  tab: TerminalTab;
  snippets: readonly Snippet[];
  /** Saves the whole list (settings). */
  onSave: (snippets: Snippet[]) => Promise<void>;
  onClose: () => void;
}

type Step = { kind: 'pick' } | { kind: 'fill'; snippet: Snippet; values: Record<string, string> } | { kind: 'new'; name: string; text: string };

/**
 * The snippet palette: type to filter, arrows to choose, Enter to run into the focused terminal. A snippet
 * with `{name}` parts asks for them first. New snippets are added here; the list is kept with the settings
 * and can be copied out as JSON.
 */
export function SnippetPalette({ tab, snippets, onSave, onClose }: SnippetPaletteProps): ReactNode {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const [step, setStep] = useState<Step>({ kind: 'pick' });
  const [error, setError] = useState<Error>();
  const [copied, setCopied] = useState(false);
  const listId = useId();
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q === '' ? snippets : snippets.filter((s) => s.name.toLowerCase().includes(q) || s.text.toLowerCase().includes(q));
  }, [snippets, query]);
  const current = shown[Math.min(index, shown.length - 1)];

  function run(snippet: Snippet, values: Record<string, string> = {}): void {
    const names = snippetVariables(snippet.text);
    if (names.length > 0 && step.kind !== 'fill') {
      setStep({ kind: 'fill', snippet, values: Object.fromEntries(names.map((n) => [n, ''])) });
      return;
    }
    // The command line is typed, then Enter: what a user pasting it would do.
    tab.send(`${fillSnippet(snippet.text, values)}\r`);
    onClose();
  }

  function onListKey(event: KeyboardEvent<HTMLElement>): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const n = shown.length;
      if (n > 0) setIndex((i) => (Math.min(i, n - 1) + (event.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (event.key === 'Enter' && current) {
      event.preventDefault();
      run(current);
    }
  }

  async function save(next: Snippet[]): Promise<void> {
    setError(undefined);
    try {
      await onSave(next);
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  }

  if (step.kind === 'fill') {
    const names = Object.keys(step.values);
    return (
      <Dialog
        open
        title={`Run “${step.snippet.name}”`}
        onClose={onClose}
        footer={
          <>
            <Button variant="ghost" onClick={() => setStep({ kind: 'pick' })}>
              Back
            </Button>
            <Button variant="primary" type="submit" form={`${listId}-fill`}>
              Run
            </Button>
          </>
        }
      >
        <form
          id={`${listId}-fill`}
          className="snippet-palette__form"
          onSubmit={(event) => {
            event.preventDefault();
            run(step.snippet, step.values);
          }}
        >
          <code className="snippet-palette__preview">{fillSnippet(step.snippet.text, Object.fromEntries(Object.entries(step.values).filter(([, v]) => v !== '')))}</code>
          {names.map((name, i) => (
            <Field
              key={name}
              label={name}
              value={step.values[name] ?? ''}
              autoFocus={i === 0}
              onChange={(value) => setStep({ ...step, values: { ...step.values, [name]: value } })}
            />
          ))}
        </form>
      </Dialog>
    );
  }

  if (step.kind === 'new') {
    const valid = step.name.trim() !== '' && step.text.trim() !== '';
    return (
      <Dialog
        open
        title="New snippet"
        onClose={onClose}
        footer={
          <>
            <Button variant="ghost" onClick={() => setStep({ kind: 'pick' })}>
              Back
            </Button>
            <Button variant="primary" type="submit" form={`${listId}-new`} disabled={!valid}>
              Save snippet
            </Button>
          </>
        }
      >
        <form
          id={`${listId}-new`}
          className="snippet-palette__form"
          onSubmit={(event) => {
            event.preventDefault();
            if (!valid) return;
            const snippet: Snippet = { id: `s${Date.now().toString(36)}`, name: step.name.trim(), text: step.text.trim() };
            void save([...snippets, snippet]).then(() => setStep({ kind: 'pick' }));
          }}
        >
          <Field label="Name" value={step.name} autoFocus onChange={(name) => setStep({ ...step, name })} placeholder="Train the model" />
          <Field
            label="Command"
            value={step.text}
            onChange={(text) => setStep({ ...step, text })}
            placeholder="python train.py --epochs {epochs}"
            description="Parts in braces, like {epochs}, are asked for each time it runs."
            className="connection-settings__mono"
          />
          {error && <ErrorNotice error={error} title="Could not save the snippet" />}
        </form>
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      title="Snippets"
      onClose={onClose}
      className="snippet-palette"
      footer={
        <>
          <Button
            variant="ghost"
            onClick={() => {
              void copyText(JSON.stringify(snippets, null, 2)).then(() => setCopied(true));
            }}
          >
            {copied ? 'Copied as JSON' : 'Copy all as JSON'}
          </Button>
          <Button variant="ghost" disabled={!current} onClick={() => current && void save(snippets.filter((s) => s.id !== current.id))} aria-label={current ? `Delete the snippet ${current.name}` : 'Delete the snippet'}>
            Delete
          </Button>
          <Button onClick={() => setStep({ kind: 'new', name: '', text: '' })}>New snippet…</Button>
          <Button variant="primary" disabled={!current} onClick={() => current && run(current)}>
            Run
          </Button>
        </>
      }
    >
      <input
        className="field__input snippet-palette__search"
        aria-label="Find a snippet"
        placeholder={`Find a snippet (${SNIPPETS_SHORTCUT})`}
        value={query}
        autoFocus
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={current ? `${listId}-${current.id}` : undefined}
        onChange={(event) => {
          setQuery(event.target.value);
          setIndex(0);
        }}
        onKeyDown={onListKey}
      />
      {shown.length === 0 ? (
        <p className="snippet-palette__empty" role="status">
          {snippets.length === 0 ? 'No snippets yet: add the commands you type often with New snippet….' : `No snippet matches “${query}”.`}
        </p>
      ) : (
        <ul id={listId} role="listbox" aria-label="Snippets" className="snippet-palette__list">
          {shown.map((snippet) => (
            <li
              key={snippet.id}
              id={`${listId}-${snippet.id}`}
              role="option"
              aria-selected={snippet === current}
              className={`snippet-palette__item${snippet === current ? ' snippet-palette__item--current' : ''}`}
              onClick={() => run(snippet)}
              onPointerMove={() => setIndex(shown.indexOf(snippet))}
            >
              <span className="snippet-palette__name">{snippet.name}</span>
              <code className="snippet-palette__text">{snippet.text}</code>
            </li>
          ))}
        </ul>
      )}
      {error && <ErrorNotice error={error} title="Could not save the snippets" />}
    </Dialog>
  );
}
