/**
 * Dropped files, as local paths: the only code of the page that asks the carrier (the Electron preload)
 * about them, so screens never read `window.hangar`.
 */

/**
 * Custom drag data type read only when there is no Electron preload (the browser test harness): Chromium
 * cannot say where a dropped File lives on disk, so tests describe the drop as paths. A real OS drag
 * never sets it, and inside Electron it is ignored.
 */
export const LOCAL_PATHS_DRAG_TYPE = 'application/x-hangar-local-paths';

/**
 * Whether a drag (during dragenter/dragover, when the files themselves cannot be read yet) carries files
 * from this computer, so a drop target can light up before the drop.
 */
export function carriesLocalPaths(dataTransfer: DataTransfer | null): boolean {
  if (dataTransfer === null) return false;
  const types = Array.from(dataTransfer.types);
  return types.includes('Files') || (window.hangar === undefined && types.includes(LOCAL_PATHS_DRAG_TYPE));
}

/**
 * The one place dropped OS files become local paths. In Electron the preload resolves each File
 * (webUtils.getPathForFile; folders dropped from Explorer/Finder arrive as File entries too).
 * Entries without a path (e.g. text dragged out of another app) are left out.
 */
export function localPathsOf(dataTransfer: DataTransfer): string[] {
  if (window.hangar === undefined) return harnessPaths(dataTransfer);
  const paths: string[] = [];
  for (const file of Array.from(dataTransfer.files)) {
    const path = pathForFile(file);
    if (path !== undefined) paths.push(path);
  }
  return paths;
}

/**
 * Where one dropped File lives on disk: only the Electron preload can tell (webUtils.getPathForFile).
 * Undefined in the browser harness and for entries that are not files on this computer.
 */
export function pathForFile(file: File): string | undefined {
  try {
    return window.hangar?.pathForFile?.(file) || undefined;
  } catch {
    return undefined;
  }
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
