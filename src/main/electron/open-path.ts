import { shell } from 'electron';
import { HangarError } from '../../shared/errors/hangar-error';

/**
 * Opens a file Hangar wrote itself (a .rdp for Remote Desktop) with the program the system associates with
 * it. The services choose the path; the renderer never names one.
 */
export async function openWithSystem(path: string): Promise<void> {
  const failure = await shell.openPath(path);
  if (failure !== '') {
    throw new HangarError({
      code: 'LOCAL_UNREADABLE',
      message: `The system could not open ${path}: ${failure}`,
      hint: 'Install a Remote Desktop client (on macOS: Windows App from the App Store; on Linux: Remmina), then try again.',
    });
  }
}
