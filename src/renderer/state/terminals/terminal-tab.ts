import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon, type ISearchOptions } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { RunningTerminal, TerminalClosedEvent, TerminalSession } from '../../../shared/models/ssh';
import { api } from '../../api/api-client';
import { IS_MAC } from '../../components/platform';
import { toHangarError } from '../../api/to-hangar-error';
import { createStore, type Store } from '../create-store';
import { routeSession, startTerminalEvents } from './terminal-events';
import { onThemeChange, terminalTheme } from './terminal-theme';
import { patchDomRenderer, withXtermDocument, xtermDocument } from './xterm-document';
import type { InstanceTarget } from '../instance-target';

/** Keystrokes kept while a tab connects (a paste into a connecting tab beyond this is dropped). */
const EARLY_INPUT_LIMIT = 64 * 1024;
/** One ssh.write at most: ~64 K characters, never splitting a surrogate pair. */
const WRITE_CHUNK_CHARS = 64 * 1024;

function firstChunk(text: string): string {
  if (text.length <= WRITE_CHUNK_CHARS) return text;
  const code = text.charCodeAt(WRITE_CHUNK_CHARS - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? WRITE_CHUNK_CHARS - 1 : WRITE_CHUNK_CHARS);
}

export type TabStatus =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'open' }
  | { readonly kind: 'host-key-unknown'; readonly fingerprint: string; readonly keyType: string; readonly error: HangarError }
  | { readonly kind: 'host-key-changed'; readonly error: HangarError }
  | { readonly kind: 'failed'; readonly error: HangarError }
  | { readonly kind: 'lost'; readonly message?: string; readonly reconnecting: boolean; readonly error?: HangarError }
  | { readonly kind: 'exited'; readonly exitCode?: number }
  /** Hangar stopped or terminated the instance: nothing to reconnect to until it is started again. */
  | { readonly kind: 'stopped'; readonly starting: boolean; readonly error?: HangarError }
  | { readonly kind: 'closed' };

export interface TabSnapshot {
  readonly id: string;
  readonly target: InstanceTarget;
  readonly status: TabStatus;
  readonly session: TerminalSession | undefined;
  readonly fontSize: number;
}

const DEFAULT_FONT_SIZE = 13;
const MIN_FONT_SIZE = 8;
const MAX_FONT_SIZE = 32;
/** Flow control: acknowledge processed output every 64 KiB or 50 ms, whichever comes first. */
const ACK_BYTES = 64 * 1024;
const ACK_DELAY_MS = 50;

let nextId = 1;

/** Keys a tab handles itself; the workspace gets the rest through `onShortcut`. */
export type TerminalShortcut = 'search' | 'new-tab' | 'split-right' | 'split-down' | 'snippets' | 'pane-next' | 'pane-prev';

/**
 * One tab: an xterm and the session behind it. Lives outside React so output keeps flowing (and the
 * scrollback stays) while the tab is hidden or the Terminals view is not on screen; a view only
 * attaches the terminal's element to the page.
 */
export class TerminalTab {
  readonly id = `tab-${nextId++}`;
  readonly target: InstanceTarget;
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly search = new SearchAddon({ highlightLimit: 1000 });
  /** The element xterm is opened into; moved between views, never recreated. */
  private readonly host: HTMLDivElement;
  private opened = false;
  private webgl: WebglAddon | undefined;
  private readonly store: Store<TabSnapshot>;
  private unroute: (() => void) | undefined;
  private pendingAck = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private pendingInput = '';
  private lastSize = { cols: 0, rows: 0 };
  private disposed = false;
  /** False for a tab that took over a running shell: opening it on screen must not start another one. */
  private connectOnOpen = true;
  private readonly cleanups: (() => void)[] = [];
  private readonly shortcutListeners = new Set<(shortcut: TerminalShortcut) => void>();
  private echoTo: readonly TerminalTab[] = [];

  constructor(target: InstanceTarget) {
    startTerminalEvents();
    this.target = target;
    this.store = createStore<TabSnapshot>({ id: this.id, target, status: { kind: 'connecting' }, session: undefined, fontSize: DEFAULT_FONT_SIZE });
    this.host = document.createElement('div');
    this.host.className = 'terminal-host';
    // Tests (and curious developers) read what is on screen regardless of the renderer in use.
    Object.defineProperty(this.host, 'readBuffer', { value: () => this.bufferText() });
    // The benchmark's end-to-end echo (bench/terminal-full-echo.ts) times a keystroke until its echo is parsed
    // and until it is painted; cheap to read, so it does not add to what it measures.
    Object.defineProperty(this.host, 'readCursorLine', { value: () => this.cursorLineText() });
    Object.defineProperty(this.host, 'watchScreen', {
      value: (listener: (what: 'parsed' | 'rendered') => void) => {
        const parsed = this.term.onWriteParsed(() => listener('parsed'));
        const rendered = this.term.onRender(() => listener('rendered'));
        return () => {
          parsed.dispose();
          rendered.dispose();
        };
      },
    });
    this.term = new Terminal({
      allowProposedApi: true,
      scrollback: 10_000,
      fontSize: DEFAULT_FONT_SIZE,
      fontFamily: "ui-monospace, 'SF Mono', 'Cascadia Mono', Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace",
      cursorBlink: true,
      theme: terminalTheme(),
      documentOverride: xtermDocument(),
      macOptionIsMeta: false,
      rightClickSelectsWord: IS_MAC,
      linkHandler: { activate: (_event, uri) => this.openLink(uri), allowNonHttpProtocols: false },
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.search);
    this.term.loadAddon(new WebLinksAddon((_event, uri) => this.openLink(uri)));
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    this.term.attachCustomKeyEventHandler((event) => this.handleKey(event));
    this.term.onData((data) => {
      this.input(data);
      // Broadcast input (issue 16): what is typed here also goes to the other checked panes.
      for (const other of this.echoTo) other.input(data);
    });
    this.term.onBinary((data) => this.input(data));
    this.term.onResize(({ cols, rows }) => this.sendSize(cols, rows));
    this.cleanups.push(onThemeChange(() => (this.term.options.theme = terminalTheme())));
  }

  /**
   * A tab for a shell that is still running in main (this page was reloaded, or its window closed): it
   * takes the shell over at once — whether or not it is on screen — and shows its latest output.
   */
  static resume(shell: RunningTerminal): TerminalTab {
    const tab = new TerminalTab({ accountId: shell.accountId, region: shell.region, instanceId: shell.session.instanceId, name: shell.instanceName });
    tab.connectOnOpen = false;
    tab.set({ session: shell.session });
    void tab.claim(shell.session.sessionId, true);
    return tab;
  }

  /** The shell in main behind this tab, while there is one. */
  get sessionId(): string | undefined {
    return this.store.get().session?.sessionId;
  }

  // ---- store plumbing --------------------------------------------------------------------------

  // Bound, so a component can hand them to useStore as they are.
  readonly get = (): TabSnapshot => this.store.get();

  readonly subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  private set(patch: Partial<TabSnapshot>): void {
    // A closed tab tells nobody: its views are on their way out.
    if (this.disposed) return;
    this.store.set({ ...this.store.get(), ...patch });
  }

  get title(): string {
    return this.store.get().session?.title ?? this.target.name;
  }

  /** The workspace listens for the shortcuts pressed inside the terminal that concern it. */
  onShortcut(listener: (shortcut: TerminalShortcut) => void): () => void {
    this.shortcutListeners.add(listener);
    return () => this.shortcutListeners.delete(listener);
  }

  private emitShortcut(shortcut: TerminalShortcut): void {
    for (const listener of this.shortcutListeners) listener(shortcut);
  }

  // ---- view --------------------------------------------------------------------------------------

  /** Puts the terminal into `container` (opening xterm the first time, when it can measure). */
  attach(container: HTMLElement): void {
    if (this.host.parentElement !== container) container.appendChild(this.host);
    if (!this.opened) {
      this.opened = true;
      withXtermDocument(() => {
        this.term.open(this.host);
        this.loadWebgl();
      });
      this.fitNow();
      if (this.connectOnOpen) void this.connect();
      // A taken-over shell still has the old window's size.
      else this.resendSize();
    } else {
      this.fitNow();
    }
  }

  detach(container: HTMLElement): void {
    if (this.host.parentElement === container) container.removeChild(this.host);
  }

  focus(): void {
    this.term.focus();
  }

  /** Fits the terminal to its element; the pty follows through onResize. */
  fitNow(): void {
    if (!this.opened || !this.host.isConnected || this.host.clientWidth === 0 || this.host.clientHeight === 0) return;
    try {
      this.fit.fit();
    } catch {
      // Not measurable yet (hidden): the next resize fits it.
    }
  }

  private loadWebgl(): void {
    try {
      const webgl = new WebglAddon();
      // A lost GPU context (driver reset, sleep) falls back to the DOM renderer instead of a black box.
      webgl.onContextLoss(() => {
        webgl.dispose();
        this.webgl = undefined;
        patchDomRenderer(this.term);
      });
      this.term.loadAddon(webgl);
      this.webgl = webgl;
    } catch {
      this.webgl = undefined;
      patchDomRenderer(this.term);
    }
  }

  get renderer(): 'webgl' | 'dom' {
    return this.webgl ? 'webgl' : 'dom';
  }

  // ---- connection --------------------------------------------------------------------------------

  /** Opens the session (again: after an exit, "Reopen" keeps the scrollback). */
  async connect(acceptHostKey?: string): Promise<void> {
    if (this.disposed) return;
    this.set({ status: { kind: 'connecting' } });
    try {
      const session = await api.ssh.open({
        accountId: this.target.accountId,
        region: this.target.region,
        instanceId: this.target.instanceId,
        cols: Math.max(2, this.term.cols),
        rows: Math.max(1, this.term.rows),
        ...(acceptHostKey === undefined ? {} : { acceptHostKey }),
        ...(this.target.access === undefined ? {} : { access: this.target.access }),
      });
      if (this.disposed) {
        void api.ssh.close(session.sessionId).catch(() => undefined);
        return;
      }
      this.adopt(session);
    } catch (error: unknown) {
      if (this.disposed) return;
      // Keystrokes typed for a shell that did not open are not replayed into a later one.
      this.pendingInput = '';
      this.set({ status: failureStatus(toHangarError(error)) });
    }
  }

  /** Starts the stopped instance, then opens a new shell on it (the connection waits while it boots). */
  async startInstance(): Promise<void> {
    const { accountId, region, instanceId } = this.target;
    this.set({ status: { kind: 'stopped', starting: true } });
    try {
      await api.ec2.act({ accountId, region, action: 'start', instanceIds: [instanceId] });
    } catch (error) {
      if (this.disposed) return;
      this.set({ status: { kind: 'stopped', starting: false, error: toHangarError(error) } });
      return;
    }
    if (!this.disposed) await this.connect();
  }

  async reconnect(): Promise<void> {
    const session = this.store.get().session;
    if (!session) return this.connect();
    this.set({ status: { kind: 'lost', reconnecting: true } });
    try {
      const next = await api.ssh.reconnect(session.sessionId, this.term.cols, this.term.rows);
      if (this.disposed) return;
      this.term.write('\r\n\x1b[2m[reconnected]\x1b[0m\r\n');
      this.adopt(next);
    } catch (error: unknown) {
      if (this.disposed) return;
      const wrapped = toHangarError(error);
      const status = failureStatus(wrapped);
      this.set({ status: status.kind === 'failed' ? { kind: 'lost', reconnecting: false, error: wrapped } : status });
    }
  }

  /**
   * Takes the shell `sessionId` over for this window (after a reload, or when the connection to main came
   * back): its output comes here from now on. `replay` writes its latest output into a fresh terminal.
   */
  async claim(sessionId: string, replay: boolean): Promise<void> {
    if (this.disposed) return;
    try {
      const { session, recentOutput } = await api.ssh.attach(sessionId);
      if (this.disposed) return;
      if (replay && recentOutput !== '') this.term.write(recentOutput);
      this.adopt(session);
      this.resendSize();
    } catch (error: unknown) {
      if (this.disposed) return;
      this.set({ status: failureStatus(toHangarError(error)) });
    }
  }

  private resendSize(): void {
    if (!this.opened) return;
    this.lastSize = { cols: 0, rows: 0 };
    this.sendSize(this.term.cols, this.term.rows);
  }

  private adopt(session: TerminalSession): void {
    this.unroute?.();
    this.lastSize = { cols: this.term.cols, rows: this.term.rows };
    this.unroute = routeSession(session.sessionId, {
      data: (data, bytes) => this.output(data, bytes),
      closed: (event) => this.closed(event),
    });
    this.set({ session, status: { kind: 'open' } });
    // The element may have changed size while connecting.
    this.fitNow();
    this.sendSize(this.term.cols, this.term.rows);
    if (!this.inFlight) this.pump();
  }

  private closed(event: TerminalClosedEvent): void {
    this.flushAck();
    if (event.reason === 'lost') {
      this.term.write(`\r\n\x1b[2m[connection lost${event.message ? `: ${event.message}` : ''}]\x1b[0m\r\n`);
      this.set({ status: { kind: 'lost', reconnecting: false, ...(event.message ? { message: event.message } : {}) } });
    } else if (event.reason === 'stopped') {
      this.term.write('\r\n\x1b[2m[the instance was stopped]\x1b[0m\r\n');
      this.set({ status: { kind: 'stopped', starting: false } });
    } else if (event.reason === 'exit') {
      this.term.write(`\r\n\x1b[2m[process exited${event.exitCode === undefined ? '' : ` with code ${event.exitCode}`}]\x1b[0m\r\n`);
      this.set({ status: { kind: 'exited', ...(event.exitCode === undefined ? {} : { exitCode: event.exitCode }) } });
    } else {
      this.set({ status: { kind: 'closed' } });
    }
  }

  /** True when closing would kill something the user started (asks main; false when not connected). */
  async busy(): Promise<boolean> {
    const session = this.store.get().session;
    if (!session || this.store.get().status.kind !== 'open') return false;
    try {
      return await api.ssh.busy(session.sessionId);
    } catch {
      return false;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const session = this.store.get().session;
    const live = this.store.get().status.kind === 'open' || this.store.get().status.kind === 'lost';
    if (session && live) void api.ssh.close(session.sessionId).catch(() => undefined);
    this.unroute?.();
    if (this.ackTimer) clearTimeout(this.ackTimer);
    for (const cleanup of this.cleanups) cleanup();
    this.term.dispose();
    this.host.remove();
    this.shortcutListeners.clear();
  }

  // ---- data path ---------------------------------------------------------------------------------

  private output(data: Uint8Array, bytes: number): void {
    // Acknowledge only once xterm has parsed it: that is what keeps a runaway `cat` bounded.
    this.term.write(data, () => this.ack(bytes));
  }

  private ack(bytes: number): void {
    this.pendingAck += bytes;
    if (this.pendingAck >= ACK_BYTES) this.flushAck();
    else this.ackTimer ??= setTimeout(() => this.flushAck(), ACK_DELAY_MS);
  }

  private flushAck(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    const bytes = this.pendingAck;
    const session = this.store.get().session;
    this.pendingAck = 0;
    if (bytes > 0 && session) void api.ssh.ack(session.sessionId, bytes).catch(() => undefined);
  }

  /**
   * Keystrokes go out in order: one write in flight at a time, and whatever is typed meanwhile goes
   * out together with the next one (a paste or fast typing costs one round trip, not one per key).
   */
  private input(data: string): void {
    const kind = this.store.get().status.kind;
    // What is typed while the shell is still starting is kept and sent once it is up: people type at
    // once, and losing the first letters of a command is worse than a moment's wait.
    if (kind === 'connecting') {
      if (this.pendingInput.length + data.length <= EARLY_INPUT_LIMIT) this.pendingInput += data;
      return;
    }
    if (kind !== 'open') return;
    this.pendingInput += data;
    if (!this.inFlight) this.pump();
  }

  private pump(): void {
    const session = this.store.get().session;
    if (!session || this.pendingInput === '') return;
    // A large paste goes in pieces: every call stays far below the carrier's frame limit, and keystrokes
    // typed meanwhile queue behind it in order.
    const chunk = firstChunk(this.pendingInput);
    this.pendingInput = this.pendingInput.slice(chunk.length);
    this.inFlight = true;
    api.ssh
      .write(session.sessionId, chunk)
      .catch(() => undefined) // A dead link arrives as terminal.closed; the overlay says so.
      .finally(() => {
        this.inFlight = false;
        this.pump();
      });
  }

  private sendSize(cols: number, rows: number): void {
    const session = this.store.get().session;
    if (!session || this.store.get().status.kind !== 'open') return;
    if (cols === this.lastSize.cols && rows === this.lastSize.rows) return;
    this.lastSize = { cols, rows };
    void api.ssh.resize(session.sessionId, cols, rows).catch(() => undefined);
  }

  // ---- keys, clipboard, zoom, search ----------------------------------------------------------

  private handleKey(event: KeyboardEvent): boolean {
    if (event.type !== 'keydown') {
      // Swallow the keyup/keypress of shortcuts handled below, so they never reach the shell.
      return !this.isShortcut(event);
    }
    const mod = IS_MAC ? event.metaKey : event.ctrlKey;
    const key = event.key.toLowerCase();
    // Tab cycling bubbles up to the workspace, which handles it wherever the focus is.
    if (event.ctrlKey && event.key === 'Tab') return false;
    if (!mod) return true;
    // Copy: ⌘C on macOS, Ctrl+Shift+C elsewhere (plain Ctrl+C is the shell's interrupt).
    if (key === 'c' && (IS_MAC ? !event.shiftKey : event.shiftKey)) {
      if (!this.term.hasSelection()) return false;
      event.preventDefault();
      void this.copySelection();
      return false;
    }
    // Paste: let the browser deliver a native paste event to xterm's textarea (no clipboard permission needed).
    if (key === 'v' && (IS_MAC ? !event.shiftKey : event.shiftKey)) return false;
    if (key === 'f' && (IS_MAC || event.shiftKey)) {
      event.preventDefault();
      this.emitShortcut('search');
      return false;
    }
    if (key === 't' && event.shiftKey) {
      event.preventDefault();
      this.emitShortcut('new-tab');
      return false;
    }
    const pane = paneShortcut(event);
    if (pane !== undefined) {
      event.preventDefault();
      this.emitShortcut(pane);
      return false;
    }
    if (!event.shiftKey || key === '+') {
      if (key === '=' || key === '+') return this.zoomKey(event, 1);
      if (key === '-') return this.zoomKey(event, -1);
      if (key === '0') return this.zoomKey(event, 0);
    }
    return true;
  }

  private isShortcut(event: KeyboardEvent): boolean {
    const mod = IS_MAC ? event.metaKey : event.ctrlKey;
    if (event.ctrlKey && event.key === 'Tab') return true;
    if (!mod) return false;
    if (paneShortcut(event) !== undefined) return true;
    const key = event.key.toLowerCase();
    if (IS_MAC) return ['c', 'v', 'f', '=', '+', '-', '0'].includes(key) || (key === 't' && event.shiftKey);
    return (event.shiftKey && ['c', 'v', 'f', 't', '+'].includes(key)) || (!event.shiftKey && ['=', '-', '0'].includes(key));
  }

  private zoomKey(event: KeyboardEvent, step: -1 | 0 | 1): boolean {
    event.preventDefault();
    this.zoom(step);
    return false;
  }

  /** +1 / −1 a point, 0 back to the default. */
  zoom(step: -1 | 0 | 1): void {
    const size = step === 0 ? DEFAULT_FONT_SIZE : Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, this.term.options.fontSize! + step));
    if (size === this.term.options.fontSize) return;
    this.term.options.fontSize = size;
    this.set({ fontSize: size });
    this.fitNow();
  }

  async copySelection(): Promise<void> {
    const text = this.term.getSelection();
    if (!text) return;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard API refused (permissions): the old way, through a selected off-screen textarea.
      const area = document.createElement('textarea');
      area.value = text;
      area.className = 'terminal-clipboard-fallback';
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
      this.term.focus();
    }
  }

  /** The terminals that receive a copy of what is typed here (broadcast input); empty: none. */
  setEchoTo(targets: readonly TerminalTab[]): void {
    this.echoTo = targets.filter((tab) => tab !== this);
  }

  /** Types a command into the shell as if the user had (a snippet), and gives the terminal the keyboard. */
  send(text: string): void {
    this.input(text);
    this.term.focus();
  }

  /** Pastes through xterm (bracketed paste when the shell asked for it). */
  async paste(): Promise<void> {
    try {
      const text = await navigator.clipboard.readText();
      if (text) this.term.paste(text);
    } catch {
      // No clipboard read permission: the keyboard shortcut (a native paste event) still works.
    }
    this.term.focus();
  }

  find(query: string, direction: 'next' | 'previous', options: ISearchOptions = {}): boolean {
    if (!query) {
      this.search.clearDecorations();
      return false;
    }
    const decorated: ISearchOptions = {
      ...options,
      decorations: {
        matchBackground: '#e3b34155',
        matchOverviewRuler: '#d29922',
        activeMatchBackground: '#e3b341',
        activeMatchColorOverviewRuler: '#9a6700',
      },
    };
    return direction === 'next' ? this.search.findNext(query, decorated) : this.search.findPrevious(query, decorated);
  }

  onSearchResults(listener: (result: { index: number; count: number }) => void): () => void {
    const subscription = this.search.onDidChangeResults(({ resultIndex, resultCount }) => listener({ index: resultIndex, count: resultCount }));
    return () => subscription.dispose();
  }

  clearSearch(): void {
    this.search.clearDecorations();
    this.term.clearSelection();
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.term.cols, rows: this.term.rows };
  }

  private bufferText(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  private cursorLineText(): string {
    const buffer = this.term.buffer.active;
    return buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true) ?? '';
  }

  private openLink(uri: string): void {
    if (!/^https?:\/\//i.test(uri)) return;
    void api.app.openExternal(uri).catch(() => undefined);
  }
}

function failureStatus(error: HangarError): TabStatus {
  if (error.code === 'SSH_HOST_KEY_UNKNOWN') {
    const fingerprint = error.details?.fingerprintSha256;
    const keyType = error.details?.keyType;
    if (typeof fingerprint === 'string')
      return { kind: 'host-key-unknown', fingerprint, keyType: typeof keyType === 'string' ? keyType : 'unknown', error };
  }
  if (error.code === 'SSH_HOST_KEY_CHANGED') return { kind: 'host-key-changed', error };
  return { kind: 'failed', error };
}

/**
 * Split panes and the snippet palette (issue 19), as in iTerm / Windows Terminal: ⌘D / Ctrl+Shift+D splits
 * right, ⌘⇧D / Ctrl+Shift+E splits down, ⌘⇧P / Ctrl+Shift+P opens snippets, ⌘⌥ / Ctrl+Alt + arrows move
 * between panes. The caller has checked the platform's modifier.
 */
export function paneShortcut(event: KeyboardEvent): TerminalShortcut | undefined {
  const key = event.key.toLowerCase();
  if (event.altKey) {
    if (key === 'arrowright' || key === 'arrowdown') return 'pane-next';
    if (key === 'arrowleft' || key === 'arrowup') return 'pane-prev';
    return undefined;
  }
  if (IS_MAC) {
    if (key === 'd') return event.shiftKey ? 'split-down' : 'split-right';
    if (key === 'p' && event.shiftKey) return 'snippets';
    return undefined;
  }
  if (!event.shiftKey) return undefined;
  if (key === 'd') return 'split-right';
  if (key === 'e') return 'split-down';
  if (key === 'p') return 'snippets';
  return undefined;
}
