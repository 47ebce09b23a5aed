import { startElectronShell } from './electron/composition-root';

startElectronShell();
