/**
 * Copies text. The async Clipboard API first; where the permission is denied (or the API is missing)
 * a hidden textarea and execCommand('copy'), which works inside a user gesture.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Fall through to the old way.
  }
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  area.className = 'visually-hidden';
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } finally {
    area.remove();
    previous?.focus({ preventScroll: true });
  }
  if (!copied) throw new Error('The clipboard is not available.');
}
