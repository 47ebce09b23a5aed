import type { Events } from '../../shared/ipc/contract';
import type { EventHandler } from '../../shared/ipc/rpc-types';
import { api } from './api-client';

type On<K extends keyof Events> = (handler: EventHandler<Events, K>) => () => void;
const on =
  <K extends keyof Events & string>(name: K): On<K> =>
  (handler) =>
    api.on(name, handler);

/**
 * What main tells the windows, named for what happened. Features subscribe through these, so event names
 * (the wire's vocabulary) live in api/ and the contract, never in feature code. Each returns its unsubscribe.
 */
export const subscribe = {
  settingsChanged: on('settings.changed'),
  accountsChanged: on('accounts.changed'),
  keysChanged: on('keys.changed'),
  regionScanned: on('ec2.regionScanned'),
  instancesStateChanged: on('instances.stateChanged'),
  costsLedgerRegion: on('costs.ledgerRegion'),
  terminalData: on('terminal.data'),
  terminalClosed: on('terminal.closed'),
  runsChanged: on('runs.changed'),
  runsOutput: on('runs.output'),
  clustersProgress: on('clusters.progress'),
  storageProgress: on('storage.progress'),
  transferChanged: on('transfers.changed'),
  transferProgress: on('transfers.progress'),
  transferRemoved: on('transfers.removed'),
  tunnelsChanged: on('tunnels.changed'),
  autoStopChanged: on('autoStop.changed'),
  remindersChanged: on('reminders.changed'),
};
