import { useEffect, useState, type ReactNode } from 'react';
import { Icons } from '../../components/icons';
import { copyText } from '../../components/clipboard';
import { ExtraIcons } from '../../components/extra-icons';

export interface CopyButtonProps {
  text: string;
  /** What is copied, for the accessible name: "Copy instance ID i-0abc…". */
  what: string;
  /** Tells the page's live region what happened. */
  onCopied?: (message: string) => void;
  tabIndex?: number;
}

/** A small icon button that copies one value and says "Copied" for a moment. */
export function CopyButton({ text, what, onCopied, tabIndex }: CopyButtonProps): ReactNode {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1_500);
    return () => clearTimeout(timer);
  }, [state]);

  return (
    <button
      type="button"
      className={`copy-button copy-button--${state}`}
      aria-label={`Copy ${what} ${text}`}
      title={state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : `Copy ${what}`}
      tabIndex={tabIndex}
      onClick={(event) => {
        // The row underneath selects on click; copying is not selecting.
        event.stopPropagation();
        copyText(text).then(
          () => {
            setState('copied');
            onCopied?.(`Copied ${what} ${text}`);
          },
          () => {
            setState('failed');
            onCopied?.(`Could not copy ${what}`);
          },
        );
      }}
    >
      {state === 'copied' ? <Icons.check size={14} /> : <ExtraIcons.copy size={14} />}
      {state === 'copied' && <span className="copy-button__label">Copied</span>}
    </button>
  );
}
