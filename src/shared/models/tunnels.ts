import { z } from 'zod';
import { instanceRefSchema, pathSchema, type InstanceRef } from './transfers';

export type TunnelKind = 'jupyter' | 'tensorboard' | 'port';
/** 'local': a port on this computer reaches the instance (ssh -L); 'remote': a port on the instance reaches this computer (ssh -R). */
export type TunnelDirection = 'local' | 'remote';
/** opening → open ⇄ reconnecting (the SSH connection dropped; the local listener stays) → closed | failed. */
export type TunnelState = 'opening' | 'open' | 'reconnecting' | 'closed' | 'failed';

export const portSchema = z.number().int().min(1).max(65535);
/** A host name or IP literal as the far side should resolve it (no spaces, no shell characters). */
export const forwardHostSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9.:_[\]-]+$/, 'A host is a name or an IP address.');

export interface TunnelInfo {
  readonly id: string;
  readonly instance: Omit<InstanceRef, 'acceptHostKey'>;
  readonly instanceName: string;
  readonly kind: TunnelKind;
  readonly direction: TunnelDirection;
  readonly label: string;
  /** "127.0.0.1:8888": where this computer listens (local) or what it connects to (remote). */
  readonly localAddress: string;
  readonly localPort: number;
  /** "127.0.0.1:8888" as seen from the instance. */
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** What to open in a browser (Jupyter: with its token). */
  readonly url?: string;
  readonly state: TunnelState;
  /** Set when the tunnel goes through Session Manager (SSH cannot reach the instance); else over SSH. */
  readonly via?: 'session-manager';
  readonly openConnections: number;
  /** Bytes that came from the instance's side to this computer. */
  readonly bytesIn: number;
  /** Bytes sent from this computer to the instance's side. */
  readonly bytesOut: number;
  /** Something the user should know, e.g. that the requested local port was taken and another one is used. */
  readonly note?: string;
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
  readonly openedAt: string;
}

export const openJupyterInputSchema = z
  .object({
    instance: instanceRefSchema,
    instanceName: z.string().max(256).optional(),
    /** Start a server in `folder` when none is running (after the user said so). */
    start: z.boolean().optional(),
    /** Remote folder for a started server; "~" (the default) is the login user's home. */
    folder: pathSchema.optional(),
    /** Preferred local port; default: the server's remote port. */
    localPort: portSchema.optional(),
    /** Open the URL in the system browser once the tunnel is up (default true). */
    openBrowser: z.boolean().optional(),
  })
  .strict();
export type OpenJupyterInput = z.infer<typeof openJupyterInputSchema>;

export const openTensorBoardInputSchema = z
  .object({
    instance: instanceRefSchema,
    instanceName: z.string().max(256).optional(),
    start: z.boolean().optional(),
    /** --logdir for a started TensorBoard; default "~" (relative paths are from the login user's home). */
    logdir: pathSchema.optional(),
    localPort: portSchema.optional(),
    openBrowser: z.boolean().optional(),
  })
  .strict();
export type OpenTensorBoardInput = z.infer<typeof openTensorBoardInputSchema>;

export const forwardPortInputSchema = z
  .object({
    instance: instanceRefSchema,
    instanceName: z.string().max(256).optional(),
    direction: z.enum(['local', 'remote']),
    /** local: the port to listen on here (in use → another one, said in `note`); remote: the port to connect to here. */
    localPort: portSchema,
    /** local: what the instance connects to (default 127.0.0.1); remote: the address the instance listens on (default 127.0.0.1). */
    remoteHost: forwardHostSchema.optional(),
    remotePort: portSchema,
    label: z.string().max(255).optional(),
  })
  .strict();
export type ForwardPortInput = z.infer<typeof forwardPortInputSchema>;

/** A running Jupyter server as its own list / runtime file reports it. */
export interface JupyterServerInfo {
  readonly port: number;
  readonly host: string;
  readonly baseUrl: string;
  readonly rootDir?: string;
  readonly pid?: number;
  readonly hasToken: boolean;
  readonly source: 'server-list' | 'notebook-list' | 'runtime-file';
}
