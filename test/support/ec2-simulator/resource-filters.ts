import { globToRegExp } from './instance-filters';
import { SimError } from './sim-error';

/** Field extractors for one resource kind's Describe* filters; a value list so that sets can match any member. */
export type FilterFields<T> = Readonly<Record<string, (resource: T) => readonly (string | undefined)[]>>;

/**
 * EC2's filter semantics for any Describe* call: AND across filters, OR across one filter's values, values are
 * case-sensitive globs, `tag:<key>` / `tag-key` / `tag-value` work wherever the resource has tags, and an
 * unknown filter name is an InvalidParameterValue.
 */
export function compileFilters<T>(
  filters: { name: string; values: string[] }[],
  fields: FilterFields<T>,
  tagsOf?: (resource: T) => ReadonlyMap<string, string>,
): (resource: T) => boolean {
  const tests = filters.map(({ name, values }) => {
    let extract: ((resource: T) => readonly (string | undefined)[]) | undefined = fields[name];
    if (extract === undefined && tagsOf !== undefined) {
      if (name.startsWith('tag:') && name.length > 4) {
        const key = name.slice(4);
        extract = (r) => [tagsOf(r).get(key)];
      } else if (name === 'tag-key') {
        extract = (r) => [...tagsOf(r).keys()];
      } else if (name === 'tag-value') {
        extract = (r) => [...tagsOf(r).values()];
      }
    }
    if (!extract) throw new SimError('InvalidParameterValue', `The filter '${name}' is invalid`);
    if (values.length === 0) throw new SimError('InvalidParameterValue', `The filter '${name}' requires at least one value`);
    const patterns = values.map(globToRegExp);
    const get = extract;
    return (r: T) => get(r).some((v) => v !== undefined && patterns.some((p) => p.test(v)));
  });
  return (r) => tests.every((t) => t(r));
}
