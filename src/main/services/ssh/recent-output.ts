/** How much of a shell's output is kept for a window that takes the shell over (a reload). */
const DEFAULT_LIMIT_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * The tail of a shell's output, bounded: what a reloaded window writes into its new tab so the screen is
 * not blank. Chunks (the bytes the channel gave) are kept as they came and dropped from the front; the text
 * handed out starts after a line break, so it never opens in the middle of a UTF-8 character or of an
 * escape sequence that the cut split.
 */
export class RecentOutput {
  private chunks: Uint8Array[] = [];
  private length = 0;
  private trimmed = false;

  constructor(private readonly limit = DEFAULT_LIMIT_BYTES) {}

  append(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    // A copy: the caller's buffer may be reused for the next batch.
    this.chunks.push(Uint8Array.from(bytes));
    this.length += bytes.byteLength;
    while (this.length > this.limit && this.chunks.length > 1) {
      this.length -= this.chunks.shift()?.byteLength ?? 0;
      this.trimmed = true;
    }
    const only = this.chunks[0];
    if (this.chunks.length === 1 && only !== undefined && only.byteLength > this.limit) {
      this.chunks = [only.subarray(only.byteLength - this.limit)];
      this.length = this.limit;
      this.trimmed = true;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    if (!this.trimmed) return new TextDecoder().decode(all);
    const firstBreak = all.indexOf(NEWLINE);
    return firstBreak === -1 ? '' : new TextDecoder().decode(all.subarray(firstBreak + 1));
  }
}
