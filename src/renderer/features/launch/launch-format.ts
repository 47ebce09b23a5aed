/** "$0.0104/h" with enough digits for the cheapest types. */
export function formatPrice(usd: number | undefined, unit = 'h'): string {
  if (usd === undefined) return 'price unknown';
  const digits = usd < 0.1 ? 4 : usd < 10 ? 3 : 2;
  return `$${usd.toFixed(digits)}/${unit}`;
}

export function formatMemory(mib: number): string {
  const gib = mib / 1024;
  return `${Number.isInteger(gib) ? gib : gib.toFixed(1)} GiB`;
}

export function formatDate(iso: string | undefined): string {
  if (iso === undefined) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}
