import type { TerminalClosedEvent, TerminalDataEvent } from '../../../shared/models/ssh';
import { transport } from '../../api/api-client';

/** Where one session's output goes: straight into its xterm, never through React state. */
export interface TerminalSink {
  data(data: string, bytes: number): void;
  closed(event: TerminalClosedEvent): void;
}

const sinks = new Map<string, TerminalSink>();
/** Output that arrived before `open` resolved and the tab registered its session id. */
const early = new Map<string, { chunks: TerminalDataEvent[]; closed?: TerminalClosedEvent }>();
const EARLY_LIMIT = 200;
/** Sessions nobody claims (a late event of a closed tab) must not pile up. */
const EARLY_SESSIONS = 32;
let started = false;

function isData(payload: unknown): payload is TerminalDataEvent {
  const p = payload as Partial<TerminalDataEvent> | null;
  return typeof p === 'object' && p !== null && typeof p.sessionId === 'string' && typeof p.data === 'string' && typeof p.bytes === 'number';
}

function isClosed(payload: unknown): payload is TerminalClosedEvent {
  const p = payload as Partial<TerminalClosedEvent> | null;
  return typeof p === 'object' && p !== null && typeof p.sessionId === 'string' && typeof p.reason === 'string';
}

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
  transport.on((push) => {
    if (push.kind !== 'event') return;
    if (push.name === 'terminal.data' && isData(push.payload)) {
      const sink = sinks.get(push.payload.sessionId);
      if (sink) sink.data(push.payload.data, push.payload.bytes);
      else {
        const entry = holdEarly(push.payload.sessionId);
        if (entry.chunks.length < EARLY_LIMIT) entry.chunks.push(push.payload);
      }
    } else if (push.name === 'terminal.closed' && isClosed(push.payload)) {
      const sink = sinks.get(push.payload.sessionId);
      if (sink) sink.closed(push.payload);
      else {
        holdEarly(push.payload.sessionId).closed = push.payload;
      }
    }
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
