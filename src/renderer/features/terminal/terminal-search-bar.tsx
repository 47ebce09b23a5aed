import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Icons } from '../../components/icons';
import type { TerminalTab } from '../../state/terminals/terminal-tab';

/** Find in the scrollback: Enter = next, Shift+Enter = previous, Escape closes and returns to the shell. */
export function TerminalSearchBar({ tab, onClose }: { tab: TerminalTab; onClose: () => void }): ReactNode {
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [result, setResult] = useState<{ index: number; count: number }>();

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  useEffect(() => tab.onSearchResults(setResult), [tab]);

  function find(direction: 'next' | 'previous', text = query, incremental = false): void {
    tab.find(text, direction, { caseSensitive, incremental });
    if (!text) setResult(undefined);
  }

  function close(): void {
    tab.clearSearch();
    onClose();
    tab.focus();
  }

  const summary = !query ? '' : !result || result.count === 0 ? 'No matches' : `${result.index + 1} of ${result.count}`;

  return (
    <div className="terminal-search" role="search" aria-label="Find in terminal">
      <input
        ref={input}
        className="terminal-search__input"
        type="search"
        aria-label="Find in terminal"
        placeholder="Find"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          find('next', event.target.value, true);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            find(event.shiftKey ? 'previous' : 'next');
          } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            close();
          }
        }}
      />
      <span className="terminal-search__count" aria-live="polite">
        {summary}
      </span>
      <label className="terminal-search__option">
        <input type="checkbox" checked={caseSensitive} onChange={(event) => setCaseSensitive(event.target.checked)} /> Match case
      </label>
      <button type="button" className="icon-button" aria-label="Previous match" onClick={() => find('previous')}>
        <Icons.arrowRight size={16} className="terminal-search__up" />
      </button>
      <button type="button" className="icon-button" aria-label="Next match" onClick={() => find('next')}>
        <Icons.arrowRight size={16} className="terminal-search__down" />
      </button>
      <button type="button" className="icon-button" aria-label="Close find" onClick={close}>
        <Icons.close size={16} />
      </button>
    </div>
  );
}
