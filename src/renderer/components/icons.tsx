import type { ReactNode, SVGProps } from 'react';

/**
 * The app's icons: inline SVG (no icon font, no remote asset, nothing the CSP has to allow).
 * Drawn on a 20×20 grid with 1.6 strokes in currentColor, so they follow the text colour and theme.
 * Decorative by default (aria-hidden): the control that holds one carries the accessible name.
 */
export type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'> & { size?: number };

/** Makes an icon component on the app's grid (20×20, 1.6 strokes in currentColor, decorative by default). */
export function icon(paths: ReactNode, displayName: string): (props: IconProps) => ReactNode {
  function Icon({ size = 20, ...rest }: IconProps): ReactNode {
    return (
      <svg
        width={size}
        height={size}
        viewBox="0 0 20 20"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.6}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        focusable="false"
        {...rest}
      >
        {paths}
      </svg>
    );
  }
  Icon.displayName = displayName;
  return Icon;
}

export const Icons = {
  /** Accounts: a key. */
  accounts: icon(
    <>
      <circle cx="6.5" cy="13.5" r="3.5" />
      <path d="M9 11 16.5 3.5M14 6l2 2M12 8l1.5 1.5" />
    </>,
    'AccountsIcon',
  ),
  /** Instances: a server stack. */
  instances: icon(
    <>
      <rect x="3" y="3.5" width="14" height="5.5" rx="1.5" />
      <rect x="3" y="11" width="14" height="5.5" rx="1.5" />
      <path d="M6 6.25h.01M6 13.75h.01M9 6.25h5M9 13.75h5" />
    </>,
    'InstancesIcon',
  ),
  /** Transfers: up and down arrows. */
  transfers: icon(
    <>
      <path d="M7 16V4M3.5 7.5 7 4l3.5 3.5" />
      <path d="M13 4v12M9.5 12.5 13 16l3.5-3.5" />
    </>,
    'TransfersIcon',
  ),
  /** Tunnels: two linked rings (a port forwarded through SSH). */
  tunnels: icon(
    <>
      <path d="M8.5 11.5a3.2 3.2 0 0 0 4.5 0l2.5-2.5a3.2 3.2 0 0 0-4.5-4.5L10 5.5" />
      <path d="M11.5 8.5a3.2 3.2 0 0 0-4.5 0L4.5 11a3.2 3.2 0 0 0 4.5 4.5l1-1" />
    </>,
    'TunnelsIcon',
  ),
  /** Costs: a coin with a dollar sign. */
  costs: icon(
    <>
      <circle cx="10" cy="10" r="7" />
      <path d="M12.3 7.6c-.4-.9-1.3-1.3-2.3-1.3-1.3 0-2.3.7-2.3 1.8 0 2.4 4.8 1.3 4.8 3.8 0 1.1-1.1 1.9-2.5 1.9-1.1 0-2-.5-2.4-1.4M10 5v1.3M10 13.8V15" />
    </>,
    'CostsIcon',
  ),
  /** Images & snapshots: a disk with a camera-shutter arc (a saved copy of a machine). */
  images: icon(
    <>
      <ellipse cx="10" cy="5.5" rx="6.5" ry="2.5" />
      <path d="M3.5 5.5v9c0 1.4 2.9 2.5 6.5 2.5s6.5-1.1 6.5-2.5v-9" />
      <path d="M3.5 10c0 1.4 2.9 2.5 6.5 2.5s6.5-1.1 6.5-2.5" />
    </>,
    'ImagesIcon',
  ),
  system: icon(
    <>
      <rect x="2.5" y="3.5" width="15" height="10" rx="1.5" />
      <path d="M7 16.5h6M10 13.5v3" />
    </>,
    'SystemIcon',
  ),
  light: icon(
    <>
      <circle cx="10" cy="10" r="3.2" />
      <path d="M10 2.5v1.6M10 15.9v1.6M2.5 10h1.6M15.9 10h1.6M4.7 4.7l1.1 1.1M14.2 14.2l1.1 1.1M4.7 15.3l1.1-1.1M14.2 5.8l1.1-1.1" />
    </>,
    'LightIcon',
  ),
  dark: icon(<path d="M16.5 12.2A7 7 0 0 1 7.8 3.5a7 7 0 1 0 8.7 8.7Z" />, 'DarkIcon'),
  alert: icon(
    <>
      <path d="M8.6 3.3 2.2 14.5a1.6 1.6 0 0 0 1.4 2.4h12.8a1.6 1.6 0 0 0 1.4-2.4L11.4 3.3a1.6 1.6 0 0 0-2.8 0Z" />
      <path d="M10 8v3.5M10 14.2h.01" />
    </>,
    'AlertIcon',
  ),
  disconnected: icon(
    <>
      <path d="M7 13 4.5 15.5M13 7l2.5-2.5M3 3l14 14" />
      <path d="M9.5 6.2 11 4.7a3 3 0 0 1 4.3 4.3l-1.5 1.5M10.5 13.8 9 15.3A3 3 0 0 1 4.7 11l1.5-1.5" />
    </>,
    'DisconnectedIcon',
  ),
  external: icon(
    <>
      <path d="M11.5 3.5h5v5M16.5 3.5 9.5 10.5" />
      <path d="M14.5 11.5v3.5a1.5 1.5 0 0 1-1.5 1.5H5a1.5 1.5 0 0 1-1.5-1.5V7A1.5 1.5 0 0 1 5 5.5h3.5" />
    </>,
    'ExternalIcon',
  ),
  arrowRight: icon(<path d="M4 10h12M11.5 5.5 16 10l-4.5 4.5" />, 'ArrowRightIcon'),
  plus: icon(<path d="M10 4v12M4 10h12" />, 'PlusIcon'),
  close: icon(<path d="M5 5l10 10M15 5 5 15" />, 'CloseIcon'),
  more: icon(<path d="M5 10h.01M10 10h.01M15 10h.01" strokeWidth={2.5} />, 'MoreIcon'),
  retry: icon(
    <>
      <path d="M16 10a6 6 0 1 1-1.8-4.3" />
      <path d="M16 3.5v3.5h-3.5" />
    </>,
    'RetryIcon',
  ),
  check: icon(<path d="m4.5 10.5 3.5 3.5 7.5-8" />, 'CheckIcon'),
} as const;
