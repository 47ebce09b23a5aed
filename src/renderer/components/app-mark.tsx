import type { ReactNode } from 'react';

/** The app mark: a hangar roof over a server. Filled, so it reads at 20px in the sidebar header. */
export function AppMark({ size = 24 }: { size?: number }): ReactNode {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="app-mark">
      <rect width="24" height="24" rx="6" className="app-mark__tile" />
      <path d="M4.5 11 12 5.5l7.5 5.5" fill="none" className="app-mark__roof" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
      <rect x="7.5" y="11.5" width="9" height="3" rx="1" className="app-mark__rack" />
      <rect x="7.5" y="15.5" width="9" height="3" rx="1" className="app-mark__rack" />
    </svg>
  );
}
