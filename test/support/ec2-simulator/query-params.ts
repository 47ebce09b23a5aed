import { SimError } from './sim-error';

/**
 * The flat key/value pairs of an AWS query request, with helpers for its numbered lists
 * (`InstanceId.1`, `Filter.2.Value.3`). List indexes are 1-based and need not be contiguous on the wire,
 * so they are sorted numerically rather than counted.
 */
export class QueryParams {
  private readonly map: Map<string, string>;

  constructor(pairs: Iterable<[string, string]>) {
    this.map = new Map(pairs);
  }

  get(name: string): string | undefined {
    return this.map.get(name);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  keys(): string[] {
    return [...this.map.keys()];
  }

  bool(name: string): boolean {
    const v = this.map.get(name);
    if (v === undefined) return false;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new SimError('InvalidParameterValue', `Value (${v}) for parameter ${name} is invalid. Expecting a boolean.`);
  }

  /** Values of `Prefix.N`, in index order. */
  list(prefix: string): string[] {
    return this.indexes(prefix, '').map((i) => this.map.get(`${prefix}.${i}`) ?? '');
  }

  /** Indexes N for which some key `Prefix.N<suffix>` exists. */
  indexes(prefix: string, suffix: string): number[] {
    const found = new Set<number>();
    const head = `${prefix}.`;
    for (const key of this.map.keys()) {
      if (!key.startsWith(head)) continue;
      const rest = key.slice(head.length);
      const dot = rest.indexOf('.');
      const index = dot === -1 ? rest : rest.slice(0, dot);
      const tail = dot === -1 ? '' : rest.slice(dot);
      if (!/^\d+$/.test(index)) continue;
      if (suffix === '' ? tail === '' : tail.startsWith(suffix)) found.add(Number(index));
    }
    return [...found].sort((a, b) => a - b);
  }

  /** `Filter.N.Name` / `Filter.N.Value.M` as name + values. */
  filters(): { name: string; values: string[] }[] {
    return this.indexes('Filter', '.Name').map((i) => ({
      name: this.map.get(`Filter.${i}.Name`) ?? '',
      values: this.list(`Filter.${i}.Value`),
    }));
  }
}
