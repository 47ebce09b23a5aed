import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { LocalGrant } from '../../../shared/models/local-grants';

export type GrantKind = LocalGrant['kind'];

/**
 * The local files and folders the renderer may name (architecture note 9): what the user chose in a native
 * dialog or dropped on the window, each behind an opaque random id. The renderer never hands main a path;
 * it hands back an id, and anything else is refused with LOCAL_PATH_NOT_GRANTED. Grants live for this run
 * of Hangar. A transfer keeps the paths its grants stood for in its own record (the queue store), which is
 * what lets a restarted Hangar resume it without the renderer naming anything.
 */
export interface LocalGrants {
  /** Grants for what a native dialog returned: the dialog itself says whether it picked files or folders. */
  grant(paths: readonly string[], kind: GrantKind): LocalGrant[];
  /**
   * Grants for items dropped on the window (paths from the preload's webUtils.getPathForFile, or the web
   * harness's test drops). Each is looked at to tell a folder from a file; relative paths are left out.
   */
  grantDropped(paths: readonly string[]): Promise<LocalGrant[]>;
  /** The paths behind the ids, in order. Refuses an id it did not hand out, or one of a kind not accepted. */
  resolve(ids: readonly string[], accept: readonly GrantKind[], refusal?: { hint: string }): string[];
}

interface Held {
  readonly path: string;
  readonly kind: GrantKind;
}

/** Enough for any session; the oldest grants go first past it (a picker run in a loop cannot grow main without bound). */
const MAX_GRANTS = 20_000;
const DEFAULT_HINT = 'Choose it again with Upload files…, or drop it on the window.';

export function createLocalGrants(options: { newId?: () => string } = {}): LocalGrants {
  const newId = options.newId ?? (() => `g_${randomBytes(18).toString('base64url')}`);
  const byId = new Map<string, Held>();
  const idOf = new Map<string, string>();

  function hold(path: string, kind: GrantKind): LocalGrant {
    const normalized = resolve(path);
    const key = `${kind}\0${normalized}`;
    let id = idOf.get(key);
    if (id === undefined) {
      id = newId();
      byId.set(id, { path: normalized, kind });
      idOf.set(key, id);
      if (byId.size > MAX_GRANTS) {
        const [oldest, held] = byId.entries().next().value as [string, Held];
        byId.delete(oldest);
        idOf.delete(`${held.kind}\0${held.path}`);
      }
    }
    return { id, name: basename(normalized) || normalized, kind };
  }

  function refused(message: string, hint: string): HangarError {
    return new HangarError({ code: 'LOCAL_PATH_NOT_GRANTED', message, hint });
  }

  return {
    grant(paths, kind) {
      return paths.filter((path) => path !== '' && isAbsolute(path)).map((path) => hold(path, kind));
    },

    async grantDropped(paths) {
      const grants: LocalGrant[] = [];
      for (const path of paths) {
        if (path === '' || !isAbsolute(path)) continue;
        // A dropped item that vanished meanwhile is granted as a file: the transfer then says it is gone.
        const info = await stat(path).catch(() => undefined);
        grants.push(hold(path, info?.isDirectory() === true ? 'folder' : 'file'));
      }
      return grants;
    },

    resolve(ids, accept, refusal) {
      const hint = refusal?.hint ?? DEFAULT_HINT;
      return ids.map((id) => {
        const held = byId.get(id);
        if (held === undefined) {
          throw refused('Hangar may only use files and folders you chose or dropped on its window, and this is not one of them (or it was chosen before Hangar restarted).', hint);
        }
        if (!accept.includes(held.kind)) {
          throw refused(`${held.path} was chosen as a ${held.kind}, not as a ${accept.join(' or ')}.`, hint);
        }
        return held.path;
      });
    },
  };
}
