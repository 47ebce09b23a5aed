import { BrowserWindow, dialog } from 'electron';

/** The native "open files" dialog, attached to the focused window so it is modal to it. */
export async function pickFilesWithDialog(options: {
  title: string;
  filters?: Array<{ name: string; extensions: string[] }>;
}): Promise<string[]> {
  const owner = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const dialogOptions: Electron.OpenDialogOptions = {
    title: options.title,
    properties: ['openFile', 'multiSelections', 'showHiddenFiles'],
    ...(options.filters ? { filters: options.filters } : {}),
  };
  const result = owner ? await dialog.showOpenDialog(owner, dialogOptions) : await dialog.showOpenDialog(dialogOptions);
  return result.canceled ? [] : result.filePaths;
}
