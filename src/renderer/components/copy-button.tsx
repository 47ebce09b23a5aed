import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { Button } from './button';
import { copyText } from './clipboard';
import { ExtraIcons } from './extra-icons';
import { Icons } from './icons';
import './copy-button.css';

interface Common {
  text: string;
  /** Tells the page's live region what happened. */
  onCopied?: (message: string) => void;
}

interface Labelled {
  label: string;
  /** Accessible name when the label alone is ambiguous (several rows). */
  ariaLabel?: string;
}

export type CopyButtonProps = Common &
  (
    | {
        /** A quiet icon next to a value (a table cell, a command line); says "Copied" beside itself. */
        variant?: 'inline';
        /** What is copied, for the accessible name: "Copy instance ID i-0abc…". */
        what: string;
        tabIndex?: number;
      }
    | ({ /** A small button with its label ("Copy URL"). */ variant: 'labelled' } & Labelled)
    | ({ /** An icon button; the label is its tooltip. */ variant: 'icon' } & Labelled)
  );

type CopyState = 'idle' | 'copied' | 'failed';

/** Copies one value and says "Copied" (or that it could not) for a moment. */
export function CopyButton(props: CopyButtonProps): ReactNode {
  const { text, onCopied } = props;
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1_500);
    return () => clearTimeout(timer);
  }, [state]);

  function copy(what?: string): void {
    copyText(text).then(
      () => {
        setState('copied');
        onCopied?.(what === undefined ? 'Copied' : `Copied ${what} ${text}`);
      },
      () => {
        setState('failed');
        onCopied?.(what === undefined ? 'Could not copy' : `Could not copy ${what}`);
      },
    );
  }

  const icon = state === 'copied' ? <Icons.check size={16} /> : <ExtraIcons.copy size={16} />;
  if (props.variant === 'icon') {
    return (
      <button
        type="button"
        className="icon-button"
        aria-label={props.ariaLabel ?? props.label}
        title={state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : props.label}
        onClick={() => copy()}
      >
        {icon}
      </button>
    );
  }
  if (props.variant === 'labelled') {
    return (
      <Button size="s" icon={icon} aria-label={props.ariaLabel} onClick={() => copy()}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : props.label}
      </Button>
    );
  }
  return (
    <button
      type="button"
      className={`copy-button copy-button--${state}`}
      aria-label={`Copy ${props.what} ${text}`}
      title={state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : `Copy ${props.what}`}
      tabIndex={props.tabIndex}
      onClick={(event: MouseEvent) => {
        // A row underneath may select on click; copying is not selecting.
        event.stopPropagation();
        copy(props.what);
      }}
    >
      {state === 'copied' ? <Icons.check size={14} /> : <ExtraIcons.copy size={14} />}
      {state === 'copied' && <span className="copy-button__label">Copied</span>}
    </button>
  );
}
