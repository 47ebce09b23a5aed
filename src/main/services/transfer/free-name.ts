/** "report.pdf", 2 → "report (2).pdf"; a leading dot is a hidden file's name, not an extension. */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return `${name} (${n})`;
  return `${name.slice(0, dot)} (${n})${name.slice(dot)}`;
}

/** The first "name (n).ext" for which `exists` says no. */
export async function firstFreeName(name: string, exists: (candidate: string) => Promise<boolean>): Promise<string> {
  for (let n = 1; n < 10_000; n++) {
    const candidate = numberedName(name, n);
    if (!(await exists(candidate))) return candidate;
  }
  throw new Error(`no free name for ${name}`);
}
