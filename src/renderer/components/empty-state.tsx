import { useId, type ReactNode } from 'react';

export interface EmptyStateProps {
  icon: ReactNode;
  /** The h2: what is (not) here. Tests and screen readers find the region by it. */
  title: string;
  /** What to do next. */
  children: ReactNode;
  /** The next step as buttons; the first one is usually primary. */
  actions?: ReactNode;
}

/** A section with nothing in it yet: says why, and what to do next. A named region, not a live status. */
export function EmptyState({ icon, title, children, actions }: EmptyStateProps): ReactNode {
  const titleId = useId();
  return (
    <section className="empty-state" aria-labelledby={titleId}>
      <div className="empty-state__icon">{icon}</div>
      <h2 className="empty-state__title" id={titleId}>
        {title}
      </h2>
      <div className="empty-state__text">{children}</div>
      {actions && <div className="empty-state__actions">{actions}</div>}
    </section>
  );
}
