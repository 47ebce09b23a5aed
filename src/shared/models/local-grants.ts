import { z } from 'zod';

/**
 * A file or folder on this computer the user chose (native picker) or dropped on the window. The renderer
 * holds only this: the id it passes back to name the item, and a name to show. Main keeps the path, and
 * refuses any path it did not hand out this way (LOCAL_PATH_NOT_GRANTED).
 */
export interface LocalGrant {
  /** Opaque and random; valid for this run of Hangar. */
  readonly id: string;
  /** The item's own name (its last path segment), for display. */
  readonly name: string;
  readonly kind: 'file' | 'folder';
}

export const grantIdSchema = z.string().regex(/^g_[A-Za-z0-9_-]{22,64}$/, 'not a grant id');

/**
 * Where dropped items live on disk, as the Electron preload read them off the dropped File objects
 * (webUtils.getPathForFile): what the shell's `grantDropped` IPC channel accepts.
 */
export const droppedPathsSchema = z
  .array(z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'A path cannot contain NUL.'))
  .max(10_000);
