import type { ButtonHTMLAttributes, ReactNode } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  /** An icon before the label; decorative (the label is the accessible name). */
  icon?: ReactNode;
  /** An icon after the label, e.g. "opens elsewhere". */
  trailingIcon?: ReactNode;
  size?: 'm' | 's';
}

/** The one button style of the app. Always type="button" unless told otherwise, so no form submits by accident. */
export function Button({ variant = 'secondary', icon, trailingIcon, size = 'm', className, children, type = 'button', ...rest }: ButtonProps): ReactNode {
  const classes = ['button', `button--${variant}`, size === 's' ? 'button--small' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <button type={type} className={classes} {...rest}>
      {icon}
      <span className="button__label">{children}</span>
      {trailingIcon}
    </button>
  );
}
