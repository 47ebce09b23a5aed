function awsCode(error: unknown): string | undefined {
  const e = error as { name?: string; Code?: string; code?: string; details?: { awsCode?: string } };
  return e.details?.awsCode ?? e.Code ?? e.name ?? e.code;
}

/** Runs an AWS call where "it is already there" means done (a re-run, a second launch of the same cluster). */
export async function unlessExists<T>(run: () => Promise<T>, exists: readonly string[]): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const text = `${awsCode(error) ?? ''} ${(error as Error).message ?? ''}`;
    if (exists.some((code) => text.includes(code) || text.toLowerCase().includes('already exists'))) return undefined;
    throw error;
  }
}
