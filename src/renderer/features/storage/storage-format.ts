const GIB = 1024 ** 3;

/** 7.6 GiB, 512 MiB: sizes the way df -h users read them. */
export function bytesLabel(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(bytes >= 100 * GIB ? 0 : 1)} GiB`;
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/** "in 5 h 12 min" until an ISO time. */
export function untilLabel(iso: string, now = Date.now()): string {
  const minutes = Math.max(1, Math.round((Date.parse(iso) - now) / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `in ${hours} h ${minutes % 60} min` : `in ${minutes} min`;
}

export const VOLUME_TYPE_LABELS: Readonly<Record<string, string>> = {
  gp3: 'gp3 — general purpose SSD (cheapest per GiB, IOPS and throughput set apart)',
  gp2: 'gp2 — older general purpose SSD (IOPS grow with size)',
  io1: 'io1 — provisioned IOPS SSD',
  io2: 'io2 — provisioned IOPS SSD, more durable',
  st1: 'st1 — throughput HDD (125 GiB and up)',
  sc1: 'sc1 — cold HDD (125 GiB and up)',
};

/** "$0.0104/h" with enough digits for the cheapest types (as the Launch wizard shows them). */
export function priceLabel(usd: number | undefined): string {
  if (usd === undefined) return 'price unknown';
  const digits = usd < 0.1 ? 4 : usd < 10 ? 3 : 2;
  return `$${usd.toFixed(digits)}/h`;
}

export function memoryLabel(mib: number): string {
  const gib = mib / 1024;
  return `${Number.isInteger(gib) ? gib : gib.toFixed(1)} GiB`;
}
