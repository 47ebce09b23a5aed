/** `{name}` placeholders of a snippet (issue 19): letters, digits, _ and -, starting with a letter or _; `${VAR}` stays the shell's. */
const VARIABLE = /(?<!\$)\{([A-Za-z_][A-Za-z0-9_-]{0,31})\}/g;

/** The snippet's variables, each once, in order of first use. */
export function snippetVariables(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1] as string))];
}

/** The text with every `{name}` replaced by its value (as typed: it goes into the user's own shell). */
export function fillSnippet(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE, (whole, name: string) => values[name] ?? whole);
}
