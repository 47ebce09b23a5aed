/** "5 Dec 2026, 07:41" in the user's locale; a dash when unknown. */
export function formatWhen(iso: string | undefined): string {
  if (iso === undefined) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** AWS's state words, capitalised for a badge. */
export function stateLabel(state: string): string {
  return state === '' ? 'Unknown' : `${state.charAt(0).toUpperCase()}${state.slice(1)}`;
}
