import { HangarError } from '../../shared/errors/hangar-error';
import { LOCAL_PATHS_DRAG_TYPE } from '../../shared/ipc/harness-api';
import type { LocalGrant } from '../../shared/models/local-grants';
import { carrier, harnessApi } from './api-client';

/**
 * Whether a drag (during dragenter/dragover, when the files themselves cannot be read yet) carries files
 * from this computer, so a drop target can light up before the drop. The harness's test drops carry
 * their paths in LOCAL_PATHS_DRAG_TYPE instead (a real OS drag never sets it; Electron ignores it).
 */
export function carriesLocalPaths(dataTransfer: DataTransfer | null): boolean {
  if (dataTransfer === null) return false;
  const types = Array.from(dataTransfer.types);
  return types.includes('Files') || (carrier === 'bridge' && types.includes(LOCAL_PATHS_DRAG_TYPE));
}

/**
 * The one place dropped OS files become something the app may upload or import: grants from main. In
 * Electron the preload reads where each File lives and main grants those paths; in the browser harness
 * the test's paths go to the harness's own call. Reads the DataTransfer at once (it is only readable
 * during the drop event), then asks. Items with no place on disk are left out.
 */
export function grantsOfDrop(dataTransfer: DataTransfer): Promise<LocalGrant[]> {
  const bridge = window.hangar;
  if (carrier === 'preload') {
    const files = Array.from(dataTransfer.files);
    if (files.length === 0 || bridge?.grantDropped === undefined) return Promise.resolve([]);
    return bridge.grantDropped(files).then((result) => {
      if (!result.ok) throw HangarError.fromJSON(result.error);
      return result.value as LocalGrant[];
    });
  }
  const paths = harnessPaths(dataTransfer);
  if (paths.length === 0 || harnessApi === undefined) return Promise.resolve([]);
  return harnessApi.harness.grantDroppedPaths(paths);
}

function harnessPaths(dataTransfer: DataTransfer): string[] {
  const raw = dataTransfer.getData(LOCAL_PATHS_DRAG_TYPE);
  if (raw === '') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string' && p !== '') : [];
  } catch {
    return [];
  }
}
