import { useId, type ReactNode } from 'react';
import { HangarError } from '../../shared/errors/hangar-error';
import { Button } from './button';
import { Icons } from './icons';

export interface ErrorNoticeProps {
  /** A HangarError shows message + hint; anything else is shown by its message only. */
  error: HangarError | Error;
  /** Shown as a Retry button when the error says a retry can help. */
  onRetry?: () => void;
  /** Shown as a Dismiss button. */
  onDismiss?: () => void;
  /** Overrides the bold first line; the error's message then follows as detail. */
  title?: string;
  /** Disables Retry while a retry is running. */
  retrying?: boolean;
  /** `inline` sits in a page; `banner` spans the top of the main area. */
  variant?: 'inline' | 'banner';
  children?: ReactNode;
}

/**
 * How an error looks everywhere: what happened (message), what to do (hint), and a fix button when
 * one exists. Errors are data (HangarError), so the UI never parses message text.
 */
export function ErrorNotice({ error, onRetry, onDismiss, title, retrying = false, variant = 'inline', children }: ErrorNoticeProps): ReactNode {
  const titleId = useId();
  const hint = error instanceof HangarError ? error.hint : undefined;
  const retryable = error instanceof HangarError ? error.retryable : false;
  return (
    <div className={`notice notice--error notice--${variant}`} role="alert" aria-labelledby={titleId}>
      <Icons.alert className="notice__icon" size={18} />
      <div className="notice__body">
        <p className="notice__title" id={titleId}>
          {title ?? error.message}
        </p>
        {title !== undefined && <p className="notice__text">{error.message}</p>}
        {hint && <p className="notice__text notice__hint">{hint}</p>}
        {children}
      </div>
      {(onDismiss || (onRetry && retryable)) && (
        <div className="notice__actions">
          {onRetry && retryable && (
            <Button size="s" icon={<Icons.retry size={16} />} onClick={onRetry} disabled={retrying}>
              {retrying ? 'Retrying…' : 'Retry'}
            </Button>
          )}
          {onDismiss && (
            <Button size="s" variant="ghost" onClick={onDismiss}>
              Dismiss
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
