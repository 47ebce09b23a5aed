import { useEffect } from 'react';
import { themeSchema, type ThemePreference } from '../../shared/models/settings';

/** A copy of the last chosen theme, only to paint the first frame right before settings arrive. */
const CACHE_KEY = 'hangar.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

function apply(preference: ThemePreference): void {
  const resolved = preference === 'system' ? (window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light') : preference;
  const root = document.documentElement;
  // data-theme is always the theme in effect (light | dark); the preference is kept beside it.
  root.dataset.theme = resolved;
  root.dataset.themePreference = preference;
}

/** Runs once before the first render. Settings stay the source of truth; this only avoids a flash. */
export function applyCachedTheme(): void {
  let cached: string | null = null;
  try {
    cached = localStorage.getItem(CACHE_KEY);
  } catch {
    // Storage can be disabled; the OS preference then applies until settings load.
  }
  const parsed = themeSchema.safeParse(cached);
  apply(parsed.success ? parsed.data : 'system');
}

/** Keeps <html data-theme> in line with the preference, following the OS live while it is "system". */
export function useAppliedTheme(preference: ThemePreference | undefined): void {
  useEffect(() => {
    if (!preference) return;
    apply(preference);
    try {
      localStorage.setItem(CACHE_KEY, preference);
    } catch {
      // See applyCachedTheme.
    }
    if (preference !== 'system') return;
    const media = window.matchMedia(DARK_QUERY);
    const onChange = (): void => apply('system');
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, [preference]);
}
