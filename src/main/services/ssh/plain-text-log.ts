/**
 * Turns a terminal's output bytes into the plain text a session log holds (issue 19): escape sequences
 * (CSI, OSC, DCS/APC/PM/SOS strings, two-byte ESC codes) are dropped, a carriage return lets the line be
 * overwritten the way the screen showed it (progress bars keep their last state), backspace steps back,
 * other control characters are dropped. Stateful, so a sequence or a UTF-8 character split across chunks
 * comes out right. Lines are handed out complete; `end()` gives the unfinished last one.
 */
type Mode = 'text' | 'esc' | 'csi' | 'string' | 'string-esc' | 'esc-intermediate';

export class PlainTextLog {
  private mode: Mode = 'text';
  private readonly decoder = new TextDecoder('utf-8');
  private line: string[] = [];
  private col = 0;

  /** The complete lines this chunk finished (without their newline). */
  push(chunk: Uint8Array): string[] {
    return this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** The unfinished last line, if it has text. */
  end(): string[] {
    const rest = this.feed(this.decoder.decode());
    const last = this.line.join('').trimEnd();
    this.line = [];
    this.col = 0;
    return last === '' ? rest : [...rest, last];
  }

  private feed(text: string): string[] {
    const done: string[] = [];
    for (const ch of text) {
      const code = ch.codePointAt(0) ?? 0;
      switch (this.mode) {
        case 'text':
          if (ch === '\x1b') this.mode = 'esc';
          else if (code === 0x9b) this.mode = 'csi';
          else if (code === 0x9d || code === 0x90) this.mode = 'string';
          else if (ch === '\n') {
            done.push(this.line.join('').trimEnd());
            this.line = [];
            this.col = 0;
          } else if (ch === '\r') this.col = 0;
          else if (ch === '\b') this.col = Math.max(0, this.col - 1);
          else if (ch === '\t') this.put('\t');
          else if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0)) this.put(ch);
          break;
        case 'esc':
          if (ch === '[') this.mode = 'csi';
          else if (ch === ']' || ch === 'P' || ch === '_' || ch === '^' || ch === 'X') this.mode = 'string';
          // ESC ( B and the like: one intermediate byte, then the final one.
          else if (code >= 0x20 && code <= 0x2f) this.mode = 'esc-intermediate';
          else this.mode = 'text';
          break;
        case 'esc-intermediate':
          if (code >= 0x30) this.mode = 'text';
          break;
        case 'csi':
          // Parameters and intermediates run 0x20–0x3f; a final byte 0x40–0x7e ends the sequence.
          if (code >= 0x40 && code <= 0x7e) this.mode = 'text';
          else if (ch === '\x1b') this.mode = 'esc';
          break;
        case 'string':
          // OSC ends with BEL or ST (ESC \); DCS, APC, PM and SOS with ST.
          if (ch === '\x07' || code === 0x9c) this.mode = 'text';
          else if (ch === '\x1b') this.mode = 'string-esc';
          break;
        case 'string-esc':
          this.mode = ch === '\\' ? 'text' : 'string';
          break;
      }
    }
    return done;
  }

  private put(ch: string): void {
    while (this.line.length < this.col) this.line.push(' ');
    this.line[this.col] = ch;
    this.col++;
  }
}
