/**
 * The one line the watcher writes to the console (so EC2 GetConsoleOutput carries it) just before it shuts
 * the machine down, e.g. `hangar-idle: stopping after 60 min idle: no GPU use, no kernels, no sessions, load 0.02`.
 * The script generator and the reader below share these words, so they cannot drift apart.
 */
export const IDLE_LOG_TAG = 'hangar-idle';
export const IDLE_STOP_WORDS = 'stopping after';

export interface IdleStop {
  readonly minutes: number;
  /** What was idle, as the watcher put it: "no GPU use, no kernels, no sessions, load 0.02". */
  readonly summary: string;
  /** The sentence Hangar shows on the stopped instance. */
  readonly sentence: string;
}

const STOP_LINE = new RegExp(`${IDLE_LOG_TAG}: ${IDLE_STOP_WORDS} (\\d{1,6}) min idle: ([^\\r\\n]*)`, 'g');
// The kernel's first line on every boot: a stop line before it belongs to an earlier run of the machine.
const BOOT_BANNER = /\bLinux version \d/g;

/**
 * Finds the watcher's stop line in an instance's console output and says it back as Hangar's sentence
 * ("stopped by Hangar's idle watcher after 60 min idle: no GPU use, no kernels, no sessions"). Undefined when
 * the output has no such line, or the machine booted again after it (the stop was then not the last one).
 */
export function describeIdleReason(consoleOutput: string): IdleStop | undefined {
  let last: RegExpExecArray | undefined;
  for (const match of consoleOutput.matchAll(STOP_LINE)) last = match;
  if (last === undefined) return undefined;
  const after = last.index + last[0].length;
  for (const boot of consoleOutput.matchAll(BOOT_BANNER)) {
    if (boot.index >= after) return undefined;
  }
  const minutes = Number(last[1]);
  // Console text is the instance's to write: keep it printable and short before it reaches the UI.
  const summary = (last[2] ?? '')
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, 200);
  const sentence = `stopped by Hangar's idle watcher after ${minutes} min idle${summary === '' ? '' : `: ${summary}`}`;
  return { minutes, summary, sentence };
}
