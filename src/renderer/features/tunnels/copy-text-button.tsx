import { useEffect, useState, type ReactNode } from 'react';
import { Button } from '../../components/button';
import { Icons } from '../../components/icons';
import { copyText } from '../../components/clipboard';
import { ExtraIcons } from '../../components/extra-icons';

export interface CopyTextButtonProps {
  text: string;
  /** The button's label, e.g. "Copy URL". */
  label: string;
  /** Accessible name when the label alone is ambiguous (several rows). */
  ariaLabel?: string;
  onCopied?: (message: string) => void;
  /** A compact icon button (the label becomes its tooltip). */
  iconOnly?: boolean;
}

/** A labelled button that copies a value and says "Copied" for a moment. */
export function CopyTextButton({ text, label, ariaLabel, onCopied, iconOnly = false }: CopyTextButtonProps): ReactNode {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1_500);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = (): void =>
    void copyText(text).then(
      () => {
        setState('copied');
        onCopied?.('Copied');
      },
      () => {
        setState('failed');
        onCopied?.('Could not copy');
      },
    );
  if (iconOnly) {
    return (
      <button type="button" className="icon-button" aria-label={ariaLabel ?? label} title={state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : label} onClick={copy}>
        {state === 'copied' ? <Icons.check size={16} /> : <ExtraIcons.copy size={16} />}
      </button>
    );
  }
  return (
    <Button
      size="s"
      icon={state === 'copied' ? <Icons.check size={16} /> : <ExtraIcons.copy size={16} />}
      aria-label={ariaLabel}
      onClick={copy}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : label}
    </Button>
  );
}
