import type { TerminalClosedEvent, TerminalDataEvent } from '../../../shared/models/ssh';
import { subscribe } from '../../api/subscriptions';

/** Where one session's output goes: straight into its xterm, never through React state. */
export interface TerminalSink {
  data(data: Uint8Array, bytes: number): void;
  closed(event: TerminalClosedEvent): void;
}

const sinks = new Map<string, TerminalSink>();
/** Output that arrived before `open` resolved and the tab registered its session id. */
const early = new Map<string, { chunks: TerminalDataEvent[]; closed?: TerminalClosedEvent }>();
const EARLY_LIMIT = 200;
/** Sessions nobody claims (a late event of a closed tab) must not pile up. */
const EARLY_SESSIONS = 32;
let started = false;

function holdEarly(sessionId: string): { chunks: TerminalDataEvent[]; closed?: TerminalClosedEvent } {
  let entry = early.get(sessionId);
  if (!entry) {
    if (early.size >= EARLY_SESSIONS) {
      const oldest = early.keys().next().value;
      if (oldest !== undefined) early.delete(oldest);
    }
    entry = { chunks: [] };
    early.set(sessionId, entry);
  }
  return entry;
}

function start(): void {
  if (started) return;
  started = true;
  // One subscription for every tab, routed by session id.
  subscribe.terminalData((event) => {
    const sink = sinks.get(event.sessionId);
    if (sink) sink.data(event.data, event.bytes);
    else {
      const entry = holdEarly(event.sessionId);
      if (entry.chunks.length < EARLY_LIMIT) entry.chunks.push(event);
    }
  });
  subscribe.terminalClosed((event) => {
    const sink = sinks.get(event.sessionId);
    if (sink) sink.closed(event);
    else holdEarly(event.sessionId).closed = event;
  });
}

/** Routes a session's events to `sink` (replaying anything that came early). Returns the unsubscribe. */
export function routeSession(sessionId: string, sink: TerminalSink): () => void {
  start();
  sinks.set(sessionId, sink);
  const waiting = early.get(sessionId);
  if (waiting) {
    early.delete(sessionId);
    for (const chunk of waiting.chunks) sink.data(chunk.data, chunk.bytes);
    if (waiting.closed) sink.closed(waiting.closed);
  }
  return () => {
    if (sinks.get(sessionId) === sink) sinks.delete(sessionId);
    early.delete(sessionId);
  };
}

/** Subscribes before the first `open`, so no early chunk is missed. */
export function startTerminalEvents(): void {
  start();
}
