import { HangarError, isHangarError } from '../../shared/errors/hangar-error';
import type { Api, Events } from '../../shared/ipc/contract';
import type { Handlers } from '../../shared/ipc/rpc-types';
import type { AppServices } from '../services/app-services';
import { checkExternalUrl } from '../services/app/external-url';
import { keychainName } from '../services/secrets/keychain-name';

/** Maps the contract onto the services. Signatures are checked against `Api` by `Handlers<Api, Events>`. */
export function createHandlers(services: AppServices): Handlers<Api, Events> {
  return {
    app: {
      info: async () => services.info,
      openExternal: async (_ctx, url) => services.openExternal(checkExternalUrl(url)),
      recoveryNotes: async () => services.settings.recoveryNotes(),
    },
    settings: {
      get: async () => services.settings.get(),
      update: async (_ctx, patch) => services.settings.update(patch),
    },
    secrets: {
      status: async () => {
        try {
          await services.secrets.keys();
          return { available: true, backend: keychainName(services.info.platform) };
        } catch (error) {
          const wrapped = isHangarError(error)
            ? error
            : new HangarError({ code: 'KEYCHAIN_UNAVAILABLE', message: 'The system keychain did not answer.', cause: error });
          return { available: false, backend: keychainName(services.info.platform), error: wrapped.toJSON() };
        }
      },
    },
    accounts: {
      list: async () => services.accounts.list(),
      add: async (ctx, input) => services.accounts.add(input, ctx.signal),
      listProfiles: async () => services.accounts.listProfiles(),
      importProfile: async (ctx, input) => services.accounts.importProfile(input, ctx.signal),
      remove: async (_ctx, accountId) => services.accounts.remove(accountId),
      setActive: async (_ctx, accountId) => services.accounts.setActive(accountId),
      setDefaultRegion: async (_ctx, accountId, region) => services.accounts.setDefaultRegion(accountId, region),
      verify: async (ctx, accountId) => services.accounts.verify(accountId, ctx.signal),
    },
    ec2: {
      listRegions: async (ctx, accountId) => services.ec2.listRegions(accountId, ctx.signal),
      listInstances: async (ctx, accountId, region) => services.ec2.listInstances(accountId, region, ctx.signal),
      scanAllRegions: async (ctx, accountId) => {
        let done = 0;
        return services.ec2.scanAllRegions(accountId, {
          scanId: ctx.requestId,
          signal: ctx.signal,
          onRegionsKnown: (total) => ctx.progress({ done: 0, total, unit: 'regions' }),
          onRegion: (result, total) => {
            done += 1;
            // To the asking window only: another window's scan is not this one's business.
            ctx.emit('ec2.regionScanned', result);
            ctx.progress({ done, total, unit: 'regions', label: result.region });
          },
        });
      },
      instanceTypes: async (ctx, accountId, region, types) => services.ec2.instanceTypes(accountId, region, types, ctx.signal),
      terminationProtection: async (ctx, accountId, region, ids) => services.ec2.terminationProtection(accountId, region, ids, ctx.signal),
      // Tunnels follow the changes through ec2.onStateChanges (wired in create-app-services).
      act: async (ctx, input) => services.ec2.act(input, ctx.signal),
    },
    keys: {
      list: async () => services.keys.list(),
      pickFiles: async () => {
        const paths = await services.pickFiles({
          title: 'Import SSH private keys',
          filters: [
            { name: 'Private keys', extensions: ['pem', 'ppk', 'key', ''] },
            { name: 'All files', extensions: ['*'] },
          ],
        });
        return services.grants.grant(paths, 'file');
      },
      import: async (_ctx, { grant, ...input }) => {
        const [path] = services.grants.resolve([grant], ['file'], { hint: 'Choose the key file again with Import key…, or drop it on the window.' });
        return services.keys.import({ ...input, path: path as string });
      },
      rename: async (_ctx, keyId, name) => services.keys.rename(keyId, name),
      unlock: async (_ctx, keyId, passphrase, remember) => services.keys.unlock(keyId, passphrase, remember),
      remove: async (_ctx, keyId) => services.keys.remove(keyId),
    },
    ssh: {
      getOverride: async (_ctx, instanceId) => services.terminals.getOverride(instanceId),
      setOverride: async (_ctx, instanceId, override) => services.terminals.setOverride(instanceId, override),
      forgetHostKey: async (_ctx, instanceId) => services.terminals.forgetHostKey(instanceId),
      probeHostKey: async (_ctx, host, port, proxy, instanceId) => services.routes.probeHostKey(host, port, proxy ?? undefined, instanceId ?? undefined),
      setProxyPassword: async (_ctx, instanceId, password) => services.routes.setProxyPassword(instanceId, password),
      hasProxyPassword: async (_ctx, instanceId) => services.routes.hasProxyPassword(instanceId),
      setLogging: async (_ctx, sessionId, on, timestamps) => services.terminals.setLogging(sessionId, on, timestamps),
      logState: async (_ctx, sessionId) => services.terminals.logState(sessionId),
      openLog: async (_ctx, sessionId) => services.terminals.openLog(sessionId),
      open: async (ctx, input) => services.terminals.open(input, ctx.signal, ctx.session),
      write: async (_ctx, sessionId, data) => services.terminals.write(sessionId, data),
      resize: async (_ctx, sessionId, cols, rows) => services.terminals.resize(sessionId, cols, rows),
      ack: async (_ctx, sessionId, bytes) => services.terminals.ack(sessionId, bytes),
      reconnect: async (ctx, sessionId, cols, rows) => services.terminals.reconnect(sessionId, cols, rows, ctx.signal, ctx.session),
      busy: async (_ctx, sessionId) => services.terminals.busy(sessionId),
      cwd: async (_ctx, sessionId) => services.terminals.cwd(sessionId),
      close: async (_ctx, sessionId) => services.terminals.close(sessionId),
      list: async () => services.terminals.list(),
      attach: async (ctx, sessionId) => services.terminals.attach(sessionId, ctx.session),
    },
    clusters: {
      setUp: async (ctx, input) => services.clusters.setUp(input, ctx.signal),
      addNode: async (ctx, input) => services.clusterNodes.addNode(input, ctx.signal),
      removeNode: async (ctx, input) => services.clusterNodes.removeNode(input, ctx.signal),
      slurmSetUp: async (ctx, input) => services.slurm.setUp(input, ctx.signal),
      slurmSubmit: async (ctx, input) => services.slurm.submit(input, ctx.signal),
      slurmJobs: async (ctx, input) => services.slurm.jobs(input, ctx.signal),
      slurmCancel: async (ctx, input) => services.slurm.cancel(input, ctx.signal),
      slurmOutput: async (ctx, input) => services.slurm.output(input, ctx.signal),
    },
    images: {
      overview: async (ctx, scope) => services.images.overview(scope, ctx.signal),
      zones: async (ctx, scope) => services.images.zones(scope, ctx.signal),
      createSnapshot: async (ctx, input) => services.images.createSnapshot(input, ctx.signal),
      copySnapshot: async (ctx, input) => services.images.copySnapshot(input, ctx.signal),
      deleteSnapshot: async (ctx, input) => services.images.deleteSnapshot(input, ctx.signal),
      restoreSnapshot: async (ctx, input) => services.images.restoreSnapshot(input, ctx.signal),
      createImage: async (ctx, input) => services.images.createImage(input, ctx.signal),
      copyImage: async (ctx, input) => services.images.copyImage(input, ctx.signal),
      deregisterImage: async (ctx, input) => services.images.deregisterImage(input, ctx.signal),
      sharing: async (ctx, input) => services.images.sharing(input, ctx.signal),
      shareImage: async (ctx, input) => services.images.shareImage(input, ctx.signal),
      makeImagePrivate: async (ctx, input) => services.images.makeImagePrivate(input, ctx.signal),
      doomedVolumes: async (ctx, input) => services.images.doomedVolumes(input, ctx.signal),
      snapshotBeforeTerminate: async (ctx, input) => services.images.snapshotBeforeTerminate(input, ctx.signal),
    },
    storage: {
      view: async (ctx, input) => services.storage.view(input, ctx.signal),
      grow: async (ctx, input) => services.storage.grow(input, ctx.signal),
      growFilesystem: async (ctx, input) => services.storage.growFilesystem(input, ctx.signal),
      addVolume: async (ctx, input) => services.storage.addVolume(input, ctx.signal),
      attachVolume: async (ctx, input) => services.storage.attachVolume(input, ctx.signal),
      detachVolume: async (ctx, input) => services.storage.detachVolume(input, ctx.signal),
      deleteVolume: async (ctx, input) => services.storage.deleteVolume(input, ctx.signal),
      setDeleteOnTermination: async (ctx, input) => services.storage.setDeleteOnTermination(input, ctx.signal),
      typeChoices: async (ctx, input) => services.storage.typeChoices(input, ctx.signal),
      changeType: async (ctx, input) => services.storage.changeType(input, ctx.signal),
    },
    runs: {
      start: async (_ctx, input) => services.runs.start(input),
      get: async (_ctx, runId) => services.runs.get(runId),
      cancel: async (_ctx, runId) => services.runs.cancel(runId),
      rerunFailed: async (_ctx, runId) => services.runs.rerunFailed(runId),
    },
    transfers: {
      list: async () => services.transfers.list(),
      // Local paths come only from grants: what the user chose in a picker or dropped (grants/local-grants.ts).
      upload: async (_ctx, { grants, ...input }) => services.transfers.upload({ ...input, localPaths: services.grants.resolve(grants, ['file', 'folder']) }),
      download: async (_ctx, { localDirGrant, ...input }) => {
        const [localDir] = services.grants.resolve([localDirGrant], ['folder'], { hint: 'Choose the folder again with Download….' });
        return services.transfers.download({ ...input, localDir: localDir as string });
      },
      pause: async (_ctx, jobId) => services.transfers.pause(jobId),
      resume: async (_ctx, jobId) => services.transfers.resume(jobId),
      cancel: async (_ctx, jobId) => services.transfers.cancel(jobId),
      cancelAll: async () => services.transfers.cancelAll(),
      retryFailed: async (_ctx, jobId) => services.transfers.retryFailed(jobId),
      resolveConflict: async (_ctx, jobId, answer) => services.transfers.resolveConflict(jobId, answer),
      clearFinished: async (_ctx, jobId) => services.transfers.clearFinished(jobId),
      pickUpload: async (_ctx, kind) => {
        const paths = await services.pickFiles(
          kind === 'folder'
            ? { title: 'Upload folders', kind: 'folders', buttonLabel: 'Upload' }
            : { title: 'Upload files', kind: 'files', buttonLabel: 'Upload' },
        );
        return services.grants.grant(paths, kind === 'folder' ? 'folder' : 'file');
      },
      pickDownloadFolder: async () => {
        const paths = await services.pickFiles({ title: 'Download to folder', kind: 'folders', multiple: false, buttonLabel: 'Download here' });
        return services.grants.grant(paths.slice(0, 1), 'folder')[0];
      },
    },
    files: {
      home: async (ctx, instance) => services.files.home(instance, ctx.signal),
      list: async (ctx, instance, path) => services.files.list(instance, path, ctx.signal),
      mkdir: async (_ctx, instance, path) => services.files.mkdir(instance, path),
      rename: async (_ctx, instance, from, to) => services.files.rename(instance, from, to),
      remove: async (ctx, instance, paths) => services.files.remove(instance, paths, ctx.signal),
    },
    tunnels: {
      list: async () => services.tunnels.list(),
      discoverJupyter: async (ctx, instance) => services.tunnels.discoverJupyter(instance, ctx.signal),
      openJupyter: async (ctx, input) => services.tunnels.openJupyter(input, ctx.signal),
      openTensorBoard: async (ctx, input) => services.tunnels.openTensorBoard(input, ctx.signal),
      forward: async (ctx, input) => services.tunnels.forward(input, ctx.signal),
      close: async (_ctx, tunnelId) => services.tunnels.close(tunnelId),
      reopen: async (ctx, instanceId, savedId, acceptHostKey) => services.tunnels.reopen(instanceId, savedId, acceptHostKey, ctx.signal),
      forget: async (_ctx, instanceId, savedId) => services.tunnels.forget(instanceId, savedId),
    },
    launch: {
      images: async (ctx, scope) => services.launch.images(scope, ctx.signal),
      searchImages: async (ctx, scope, query) => services.launch.searchImages(scope, query, ctx.signal),
      instanceTypes: async (ctx, scope, architecture) => services.launch.instanceTypes(scope, architecture, ctx.signal),
      vcpuQuota: async (ctx, scope, instanceType, spot) => services.launch.vcpuQuota(scope, instanceType, spot, ctx.signal),
      spotPrice: async (ctx, scope, instanceType) => services.launch.spotPrice(scope, instanceType, ctx.signal),
      keyPairs: async (ctx, scope) => services.launch.keyPairs(scope, ctx.signal),
      createKeyPair: async (ctx, input) => services.launch.createKeyPair(input, ctx.signal),
      importKeyPair: async (ctx, input) => services.launch.importKeyPair(input, ctx.signal),
      saveKeyFile: async (_ctx, keyId, suggestedName) => {
        const path = await services.pickSaveFile({
          title: 'Save private key',
          defaultName: suggestedName.endsWith('.pem') ? suggestedName : `${suggestedName}.pem`,
          filters: [{ name: 'Private key', extensions: ['pem'] }],
          buttonLabel: 'Save',
        });
        if (path === undefined) return undefined;
        await services.launch.exportKey(keyId, path);
        return path;
      },
      network: async (ctx, scope) => services.launch.network(scope, ctx.signal),
      myIp: async (ctx) => services.launch.myIp(ctx.signal),
      createSshGroup: async (ctx, input) => services.launch.createSshGroup(input, ctx.signal),
      updateMyIp: async (ctx, input) => services.launch.updateMyIp(input, ctx.signal),
      updateMyIpForInstance: async (ctx, instance) => services.launch.updateMyIpForInstance(instance, ctx.signal),
      dryRun: async (ctx, request) => services.launch.dryRun(request, ctx.signal),
      launch: async (ctx, request) => services.launch.launch(request, ctx.signal),
      probeSsh: async (ctx, instance) => services.launch.probeSsh(instance, ctx.signal),
      ssmProfile: async (ctx, scope) => services.launch.ssmProfile(scope, ctx.signal),
    },
    autoStop: {
      status: async (ctx, instance) => services.autoStop.status(instance, ctx.signal),
      enable: async (ctx, input) => services.autoStop.enable(input, ctx.signal),
      disable: async (ctx, instance) => services.autoStop.disable(instance, ctx.signal),
      listAlarms: async (ctx, accountId, region) => services.autoStop.listAlarms(accountId, region, ctx.signal),
      stopReason: async (ctx, instance) => services.autoStop.stopReason(instance, ctx.signal),
    },
    access: {
      waysIn: async (ctx, instances) => services.ways.waysIn(instances, ctx.signal),
    },
    windows: {
      password: async (ctx, instance) => services.windows.password(instance, ctx.signal),
      openRdp: async (ctx, instance) => {
        await services.windows.openRdp(instance, ctx.signal);
      },
    },
    metrics: {
      instance: async (ctx, instance) => services.metrics.instance(instance, ctx.signal),
    },
    console: {
      view: async (ctx, instance) => services.console.view(instance, ctx.signal),
      screenshot: async (ctx, instance) => services.console.screenshot(instance, ctx.signal),
    },
    firewall: {
      rules: async (ctx, instance) => services.firewall.rules(instance, ctx.signal),
      addRule: async (ctx, input) => services.firewall.addRule(input, ctx.signal),
      removeRule: async (ctx, input) => services.firewall.removeRule(input, ctx.signal),
    },
    elasticIps: {
      list: async (ctx, scope) => services.elasticIps.list(scope, ctx.signal),
      allocate: async (ctx, input) => services.elasticIps.allocate(input, ctx.signal),
      associate: async (ctx, input) => services.elasticIps.associate(input, ctx.signal),
      disassociate: async (ctx, input) => services.elasticIps.disassociate(input, ctx.signal),
      release: async (ctx, input) => services.elasticIps.release(input, ctx.signal),
    },
    reminders: {
      list: async () => services.reminders.list(),
      takeNew: async () => services.reminders.takeNew(),
      dismiss: async (_ctx, key) => services.reminders.dismiss(key),
    },
    costs: {
      ledger: async (ctx, accountIds, options) => {
        const totals = new Map<string, number>();
        let done = 0;
        const total = (): number => [...totals.values()].reduce((sum, n) => sum + n, 0);
        return services.costs.ledger(accountIds, {
          scanId: options.scanId ?? ctx.requestId,
          signal: ctx.signal,
          ...(options.refreshPrices === undefined ? {} : { refreshPrices: options.refreshPrices }),
          onRegionsKnown: (accountId, count) => {
            totals.set(accountId, count);
            ctx.progress({ done, total: total(), unit: 'regions' });
          },
          onRegion: (result) => {
            done += 1;
            // To the asking window only, as ec2.regionScanned.
            ctx.emit('costs.ledgerRegion', result);
            ctx.progress({ done, total: total(), unit: 'regions', label: result.region });
          },
        });
      },
      cleanup: async (ctx, items, dryRunOnly) => {
        let done = 0;
        return services.costs.cleanup(items, {
          dryRunOnly,
          signal: ctx.signal,
          onResult: (result) => {
            done += 1;
            ctx.progress({ done, total: items.length, unit: 'items', label: result.item.name ?? result.item.id });
          },
        });
      },
      cachedSpend: async (_ctx, accountId) => services.costs.cachedSpend(accountId),
      actualSpend: async (ctx, accountId) => services.costs.actualSpend(accountId, ctx.signal),
      budget: async (ctx, accountId) => services.costs.budget(accountId, ctx.signal),
      saveBudget: async (ctx, input) => services.costs.saveBudget(input, ctx.signal),
    },
  };
}

