import { useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { SavedTunnel, Section } from '../../../shared/models/settings';
import type { TunnelInfo, TunnelState } from '../../../shared/models/tunnels';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { useSettings } from '../../state/use-settings';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { CopyButton } from '../../components/copy-button';
import { tunnelFlow } from './tunnel-flow';
import { TunnelFlowDialogs } from './tunnel-flow-dialogs';
import { tunnelsStore, useTunnels } from './tunnels-store';
import './tunnels.css';

export interface TunnelsScreenProps {
  onNavigate: (section: Section) => void;
}

const STATE_LABELS: Record<TunnelState, string> = {
  opening: 'Opening',
  open: 'Open',
  reconnecting: 'Reconnecting',
  closed: 'Closed',
  failed: 'Failed',
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

function TunnelRow({ tunnel, onError }: { tunnel: TunnelInfo; onError: (error: HangarError) => void }): ReactNode {
  const name = `${tunnel.label} on ${tunnel.instanceName}`;
  const ended = tunnel.state === 'closed' || tunnel.state === 'failed';
  const stop = (): void => {
    tunnelsStore.remove(tunnel.id);
    api.tunnels.close(tunnel.id).catch((error: unknown) => {
      const wrapped = toHangarError(error);
      if (wrapped.code !== 'TUNNEL_NOT_FOUND') onError(wrapped);
    });
  };
  return (
    <>
      <tr className={`tunnel-row tunnel-row--${tunnel.state}`} aria-label={name}>
        <td>
          <span className="tunnel-row__instance">{tunnel.instanceName}</span>
          <span className="tunnel-row__id mono">{tunnel.instance.instanceId}</span>
        </td>
        <td>
          {tunnel.label}
          <span className="tunnel-row__direction">
            {tunnel.direction === 'local' ? 'this computer → instance' : 'instance → this computer'}
            {tunnel.via === 'session-manager' ? ', through Session Manager' : ''}
          </span>
        </td>
        <td className="mono" data-testid="tunnel-local">
          {tunnel.localAddress}
        </td>
        <td className="mono">{tunnel.remoteAddress}</td>
        <td className="tunnel-row__number">{tunnel.openConnections}</td>
        <td className="tunnel-row__number">
          <span className="tunnel-row__bytes" title="Received from the instance's side">
            <span aria-hidden="true">↓ </span>
            <span className="visually-hidden">in </span>
            {formatBytes(tunnel.bytesIn)}
          </span>
          <span className="tunnel-row__bytes" title="Sent to the instance's side">
            <span aria-hidden="true">↑ </span>
            <span className="visually-hidden">out </span>
            {formatBytes(tunnel.bytesOut)}
          </span>
        </td>
        <td>
          <span className={`tunnel-state tunnel-state--${tunnel.state}`}>
            {tunnel.state === 'reconnecting' || tunnel.state === 'opening' ? <span className="spinner spinner--small" aria-hidden="true" /> : null}
            {STATE_LABELS[tunnel.state]}
          </span>
        </td>
        <td>
          <div className="tunnel-row__actions">
            {tunnel.url !== undefined && !ended && (
              <>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Open ${name} in the browser`}
                  title="Open in browser"
                  onClick={() => void api.app.openExternal(tunnel.url ?? '').catch((error: unknown) => onError(toHangarError(error)))}
                >
                  <Icons.external size={16} />
                </button>
                <CopyButton variant="icon" text={tunnel.url} label="Copy URL" ariaLabel={`Copy the URL of ${name}`} />
              </>
            )}
            <Button size="s" variant="ghost" className="button--quiet-danger" aria-label={`${ended ? 'Remove' : 'Stop'} ${name}`} onClick={stop}>
              {ended ? 'Remove' : 'Stop'}
            </Button>
          </div>
        </td>
      </tr>
      {(tunnel.note !== undefined || tunnel.error !== undefined) && (
        <tr className="tunnel-row__more">
          <td colSpan={8}>
            {tunnel.note && <p className="tunnel-row__note">{tunnel.note}</p>}
            {tunnel.error && (
              <p className="tunnel-row__error" role={tunnel.state === 'failed' ? 'alert' : undefined}>
                <Icons.alert size={14} /> {tunnel.error.message}
                {tunnel.error.hint && <span className="tunnel-row__hint"> {tunnel.error.hint}</span>}
              </p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function savedLabel(saved: SavedTunnel): string {
  const label = saved.label ?? (saved.kind === 'jupyter' ? 'Jupyter' : saved.kind === 'tensorboard' ? 'TensorBoard' : `Port ${saved.remotePort}`);
  return label;
}

function RememberedTunnels({ saved, open }: { saved: Record<string, SavedTunnel[]>; open: readonly TunnelInfo[] }): ReactNode {
  const instances = Object.entries(saved).filter(([, list]) => list.length > 0);
  if (instances.length === 0) return null;
  return (
    <section className="tunnels__remembered" aria-labelledby="remembered-tunnels-title">
      <h2 className="tunnels__heading" id="remembered-tunnels-title">
        Remembered tunnels
      </h2>
      {instances.map(([instanceId, list]) => {
        const instanceName = list[0]?.instanceName ?? instanceId;
        return (
          <div key={instanceId} className="tunnels__instance">
            <h3 className="tunnels__instance-name">
              {instanceName} <span className="mono tunnel-row__id">{instanceId}</span>
            </h3>
            <ul className="tunnels__saved" aria-label={`Remembered tunnels of ${instanceName}`}>
              {list.map((item) => {
                const label = savedLabel(item);
                const isOpen = open.some(
                  (t) => t.instance.instanceId === instanceId && t.kind === item.kind && t.state !== 'closed' && t.state !== 'failed' && (item.kind !== 'port' || t.remotePort === item.remotePort),
                );
                const reopenable = item.accountId !== undefined && item.region !== undefined;
                return (
                  <li key={item.id} className="tunnels__saved-item" aria-label={`${label} on ${instanceName}`}>
                    <span className="tunnels__saved-label">{label}</span>
                    <span className="mono tunnels__saved-ports">
                      {item.direction === 'local' ? `127.0.0.1:${item.localPort} → ${item.remoteHost}:${item.remotePort}` : `${item.remoteHost}:${item.remotePort} → 127.0.0.1:${item.localPort}`}
                    </span>
                    {item.folder && <span className="tunnels__saved-folder mono">{item.folder}</span>}
                    <span className="tunnels__saved-actions">
                      <Button
                        size="s"
                        icon={<Icons.retry size={16} />}
                        disabled={isOpen || !reopenable}
                        title={isOpen ? 'Already open' : reopenable ? undefined : 'Open it again from the instance'}
                        aria-label={`Reopen ${label} on ${instanceName}`}
                        onClick={() =>
                          item.accountId !== undefined &&
                          item.region !== undefined &&
                          tunnelFlow.reopen({ instance: { accountId: item.accountId, region: item.region, instanceId }, name: instanceName }, item.id)
                        }
                      >
                        Reopen
                      </Button>
                      <Button size="s" variant="ghost" aria-label={`Forget ${label} on ${instanceName}`} onClick={() => void api.tunnels.forget(instanceId, item.id).catch(() => undefined)}>
                        Forget
                      </Button>
                    </span>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

/** Every tunnel with its addresses, traffic and state; remembered tunnels per instance, reopened with one click. */
export function TunnelsScreen({ onNavigate }: TunnelsScreenProps): ReactNode {
  const { tunnels } = useTunnels();
  const { settings } = useSettings();
  const [error, setError] = useState<HangarError>();
  const saved = settings?.tunnels ?? {};
  const hasSaved = Object.values(saved).some((list) => list.length > 0);

  if (tunnels.length === 0 && !hasSaved) {
    return (
      <>
        <EmptyState
          icon={<Icons.tunnels size={32} />}
          title="No tunnels"
          actions={
            <Button trailingIcon={<Icons.arrowRight size={16} />} onClick={() => onNavigate('instances')}>
              Go to Instances
            </Button>
          }
        >
          <p>
            Open Jupyter on a running instance with one click (select it, then Jupyter): Hangar forwards its port over SSH and opens it in your
            browser, without opening any port to the internet. TensorBoard and any other port are under More tunnels.
          </p>
        </EmptyState>
        <TunnelFlowDialogs />
      </>
    );
  }

  return (
    <div className="tunnels">
      {error && <ErrorNotice error={error} onDismiss={() => setError(undefined)} />}
      {tunnels.length === 0 ? (
        <p className="tunnels__none">No tunnel is open. Reopen a remembered one below, or start one from an instance.</p>
      ) : (
        <div className="tunnels__table-wrap">
          <table className="tunnels__table" aria-label="Open tunnels">
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Tunnel</th>
                <th scope="col">Local</th>
                <th scope="col">Remote</th>
                <th scope="col" className="tunnel-row__number">
                  Connections
                </th>
                <th scope="col" className="tunnel-row__number">
                  Traffic
                </th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tunnels.map((tunnel) => (
                <TunnelRow key={tunnel.id} tunnel={tunnel} onError={setError} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RememberedTunnels saved={saved} open={tunnels} />
      <TunnelFlowDialogs />
    </div>
  );
}
