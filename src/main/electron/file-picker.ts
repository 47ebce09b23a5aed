import { join } from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import type { PickOptions, SaveOptions } from '../services/app-services';

/** The native "open files" dialog, attached to the focused window so it is modal to it. */
export async function pickFilesWithDialog(options: PickOptions): Promise<string[]> {
  const owner = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const dialogOptions: Electron.OpenDialogOptions = {
    title: options.title,
    properties: [
      options.kind === 'folders' ? 'openDirectory' : 'openFile',
      ...(options.multiple === false ? [] : (['multiSelections'] as const)),
      'showHiddenFiles',
      ...(options.kind === 'folders' ? (['createDirectory'] as const) : []),
    ],
    ...(options.buttonLabel === undefined ? {} : { buttonLabel: options.buttonLabel }),
    ...(options.filters ? { filters: options.filters } : {}),
  };
  const result = owner ? await dialog.showOpenDialog(owner, dialogOptions) : await dialog.showOpenDialog(dialogOptions);
  return result.canceled ? [] : result.filePaths;
}

/** The native "save file" dialog, in the user's home folder; undefined when cancelled. */
export async function pickSaveFileWithDialog(options: SaveOptions): Promise<string | undefined> {
  const owner = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const dialogOptions: Electron.SaveDialogOptions = {
    title: options.title,
    defaultPath: join(app.getPath('home'), options.defaultName),
    properties: ['showOverwriteConfirmation', 'createDirectory'],
    ...(options.buttonLabel === undefined ? {} : { buttonLabel: options.buttonLabel }),
    ...(options.filters ? { filters: options.filters } : {}),
  };
  const result = owner ? await dialog.showSaveDialog(owner, dialogOptions) : await dialog.showSaveDialog(dialogOptions);
  return result.canceled || result.filePath === undefined || result.filePath === '' ? undefined : result.filePath;
}
