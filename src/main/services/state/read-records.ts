import type { z } from 'zod';

/**
 * The records of a state file that pass `schema`, in order. One that does not is left out and reported by
 * its index and the first problem found: a single bad record never costs the others. Throws only when
 * `items` is not a list at all.
 */
export function readRecords<S extends z.ZodType>(
  items: unknown,
  schema: S,
  report: (index: number, problem: string) => void,
): z.infer<S>[] {
  if (!Array.isArray(items)) throw new Error('expected a list of records');
  const out: z.infer<S>[] = [];
  items.forEach((item: unknown, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else {
      const issue = parsed.error.issues[0];
      report(index, issue === undefined ? 'invalid' : `${issue.path.join('.') || '(record)'}: ${issue.message}`);
    }
  });
  return out;
}
