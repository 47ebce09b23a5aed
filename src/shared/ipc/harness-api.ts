import { z } from 'zod';
import { droppedPathsSchema, type LocalGrant } from '../models/local-grants';
import type { SchemaTable } from './rpc-types';

/**
 * Calls only the web harness answers (dev and tests, the browser over the loopback bridge): never part of
 * `Api`, so the Electron shell's handlers lack them and its preload's allowlist (API_METHODS) never sends
 * them. Chromium cannot say where a dropped File lives on disk, so a test describes its drop as paths in
 * the drag data type LOCAL_PATHS_DRAG_TYPE; the page hands them here to get grants, as Electron's preload
 * does for a real drop.
 */
export type HarnessApi = {
  harness: {
    grantDroppedPaths(paths: string[]): Promise<LocalGrant[]>;
  };
};

export const harnessSchemas = {
  harness: {
    grantDroppedPaths: z.tuple([droppedPathsSchema]),
  },
} satisfies SchemaTable<HarnessApi>;

/** The drag data type a harness drop carries its paths in (a JSON array of absolute paths). */
export const LOCAL_PATHS_DRAG_TYPE = 'application/x-hangar-local-paths';
