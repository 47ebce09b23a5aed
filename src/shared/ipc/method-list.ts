import type { ApiShape, SchemaTable } from './rpc-types';

/** Flattens a schema table into `section.method` names: the runtime allowlist. */
export function methodList<A extends ApiShape>(schemas: SchemaTable<A>): string[] {
  const names: string[] = [];
  for (const [section, methods] of Object.entries(schemas as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(methods)) names.push(`${section}.${method}`);
  }
  return names.sort();
}
