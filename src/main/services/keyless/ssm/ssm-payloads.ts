import { randomUUID } from 'node:crypto';
import { SSM_MESSAGE_TYPES, type SsmMessage } from './ssm-message';

/**
 * The JSON that travels inside data-channel frames, with the plugin's field names
 * (session-manager-plugin src/message/handshakemessage.go, clientmessage.go, src/service/service.go).
 */

/** Sent first, as a text frame, to open the channel with StartSession's token. */
export interface OpenDataChannelInput {
  readonly MessageSchemaVersion: '1.0';
  readonly RequestId: string;
  readonly TokenValue: string;
  readonly ClientId: string;
  readonly ClientVersion: string;
}

export interface AcknowledgeContent {
  readonly AcknowledgedMessageType: string;
  readonly AcknowledgedMessageId: string;
  readonly AcknowledgedMessageSequenceNumber: number;
  readonly IsSequentialMessage: boolean;
}

export interface RequestedClientAction {
  readonly ActionType: string;
  readonly ActionParameters?: unknown;
}

export interface HandshakeRequestPayload {
  readonly AgentVersion: string;
  readonly RequestedClientActions: readonly RequestedClientAction[];
}

/** ActionStatus: 1 success, 2 failed, 3 unsupported. */
export interface ProcessedClientAction {
  readonly ActionType: string;
  readonly ActionStatus: 1 | 2 | 3;
  readonly ActionResult?: unknown;
  readonly Error: string;
}

export interface HandshakeResponsePayload {
  readonly ClientVersion: string;
  readonly ProcessedClientActions: readonly ProcessedClientAction[];
  readonly Errors: readonly string[];
}

export interface HandshakeCompletePayload {
  /** A Go time.Duration: nanoseconds. */
  readonly HandshakeTimeToComplete: number;
  readonly CustomerMessage: string;
}

export interface ChannelClosedPayload {
  readonly MessageId?: string;
  readonly CreatedDate?: string;
  readonly DestinationId?: string;
  readonly SessionId?: string;
  readonly MessageType?: string;
  readonly SchemaVersion?: number;
  readonly Output?: string;
}

/** The session types a SessionType action may name, and what the plugin treats them as. */
export const SSM_SESSION_TYPES = { shell: 'Standard_Stream', port: 'Port', interactiveCommands: 'InteractiveCommands', nonInteractiveCommands: 'NonInteractiveCommands' } as const;

export function openDataChannelInput(tokenValue: string, clientId: string, clientVersion: string): string {
  const input: OpenDataChannelInput = { MessageSchemaVersion: '1.0', RequestId: randomUUID(), TokenValue: tokenValue, ClientId: clientId, ClientVersion: clientVersion };
  return JSON.stringify(input);
}

/** The acknowledgement of one stream message; the plugin sends it with flags 3 and sequence number 0. */
export function acknowledgeMessage(of: SsmMessage, now = Date.now()): SsmMessage {
  const content: AcknowledgeContent = {
    AcknowledgedMessageType: of.messageType,
    AcknowledgedMessageId: of.messageId,
    AcknowledgedMessageSequenceNumber: of.sequenceNumber,
    IsSequentialMessage: true,
  };
  return {
    messageType: SSM_MESSAGE_TYPES.acknowledge,
    schemaVersion: 1,
    createdDate: now,
    sequenceNumber: 0,
    flags: 3,
    messageId: randomUUID(),
    payloadType: 0,
    payload: Buffer.from(JSON.stringify(content)),
  };
}

export function parseJsonPayload<T>(message: SsmMessage): T | undefined {
  try {
    const value: unknown = JSON.parse(message.payload.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
