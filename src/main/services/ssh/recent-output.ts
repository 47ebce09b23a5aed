/** How much of a shell's output is kept for a window that takes the shell over (a reload). */
const DEFAULT_LIMIT_CHARS = 64 * 1024;

/**
 * The tail of a shell's output, bounded: what a reloaded window writes into its new tab so the screen is
 * not blank. Chunks are kept as they came and dropped from the front; the text handed out starts at a
 * line break, so it never opens in the middle of an escape sequence that the cut split.
 */
export class RecentOutput {
  private chunks: string[] = [];
  private length = 0;
  private trimmed = false;

  constructor(private readonly limit = DEFAULT_LIMIT_CHARS) {}

  append(text: string): void {
    if (text === '') return;
    this.chunks.push(text);
    this.length += text.length;
    while (this.length > this.limit && this.chunks.length > 1) {
      this.length -= this.chunks.shift()?.length ?? 0;
      this.trimmed = true;
    }
    const only = this.chunks[0];
    if (this.chunks.length === 1 && only !== undefined && only.length > this.limit) {
      this.chunks = [only.slice(only.length - this.limit)];
      this.length = this.limit;
      this.trimmed = true;
    }
  }

  text(): string {
    const all = this.chunks.join('');
    if (!this.trimmed) return all;
    const firstBreak = all.indexOf('\n');
    return firstBreak === -1 ? '' : all.slice(firstBreak + 1);
  }
}
