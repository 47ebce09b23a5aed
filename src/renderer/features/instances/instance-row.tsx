import { memo, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { provenanceLabel } from '../../../shared/models/costs';
import { PRICES_AS_OF } from '../../../shared/models/instance-prices';
import { regionDisplayName } from '../../../shared/models/region-names';
import { spotKindWords, spotNotice } from '../../../shared/models/spot';
import { isWindowsPlatform } from '../../../shared/models/windows';
import { DropHintOverlay, type DropHint } from '../../components/drop-hint';
import { CopyButton } from '../../components/copy-button';
import { useScreenSlots } from '../../state/screen-slots';
import { ExtraIcons } from '../../components/extra-icons';
import { formatDuration, formatGpus, formatLaunch, formatPrice, formatShape } from './format';
import { ROW_HEIGHT } from '../../components/virtual-grid/grid-columns';
import { GridSelectCell } from '../../components/virtual-grid/grid-select-cell';
import type { ColumnDef } from './instance-columns';
import type { SortKey } from './instance-query';
import { StateBadge } from './state-badge';
import { ConnectMenu, connectAccess } from './connect-menu';
import { WAY_IN_LABELS, type WaysIn } from '../../../shared/models/ways-in';
import type { TypeEntry } from './use-instance-types';

export interface InstanceRowProps {
  instance: InstanceSummary;
  /** Position in the sorted, filtered list (0-based). */
  index: number;
  selected: boolean;
  active: boolean;
  typeEntry: TypeEntry | undefined;
  /** Minute-resolution clock for uptimes. */
  now: number;
  onToggle: (id: string, range: boolean) => void;
  onActivate: (id: string) => void;
  onCopied: (message: string) => void;
  /** Opens a terminal tab on a running instance; 'instance-connect' signs in with a one-minute key, 'session-manager' needs no SSH. */
  onConnect: (instance: InstanceSummary, access?: 'instance-connect' | 'session-manager') => void;
  /** Opens a Windows instance's password dialog (Administrator password, Open RDP). */
  onWindowsPassword?: ((instance: InstanceSummary) => void) | undefined;
  /** Opens the per-instance connection settings (host, user, key, tmux, host key). */
  onConnectionSettings: (instance: InstanceSummary) => void;
  /** Opens the remote file browser on a running instance. */
  onFiles?: ((instance: InstanceSummary) => void) | undefined;
  /** Opens the instance's CPU and network graph (CloudWatch). */
  onMetrics?: ((instance: InstanceSummary) => void) | undefined;
  /** Opens the console output, firewall rules and Elastic IPs of the instance. */
  onDetails?: ((instance: InstanceSummary) => void) | undefined;
  /** Files are being dragged over this row: what dropping them would do. */
  dropHint?: DropHint | undefined;
  /** The account the row belongs to (its Stop-when-idle badge looks up the alarm there). */
  accountId?: string | undefined;
  /** The columns shown, in order (the table's choice; the name is always first). */
  columns: readonly ColumnDef[];
  /** The ways into the instance (issue 15), when known: Connect picks the best, the menu offers each. */
  ways?: WaysIn | undefined;
}

export function rowDomId(instanceId: string): string {
  return `instance-row-${instanceId}`;
}

function Muted({ children }: { children: ReactNode }): ReactNode {
  return <span className="cell__muted">{children}</span>;
}

function shapeCell(entry: TypeEntry | undefined): ReactNode {
  if (!entry || entry.status === 'loading') return <Muted>…</Muted>;
  if (entry.status === 'failed') return <span title={[entry.error.message, entry.error.hint].filter(Boolean).join(' ')}>—</span>;
  const shape = formatShape(entry.info);
  const gpus = formatGpus(entry.info);
  if (!shape) return <Muted>—</Muted>;
  if (!gpus) return shape;
  return (
    <>
      <span className="cell__primary">{shape}</span>
      <span className="cell__secondary">{gpus}</span>
    </>
  );
}

function priceCell(entry: TypeEntry | undefined): ReactNode {
  if (!entry || entry.status === 'loading') return <Muted>…</Muted>;
  if (entry.status === 'failed') return <span title={[entry.error.message, entry.error.hint].filter(Boolean).join(' ')}>—</span>;
  if (entry.info.pricePerHour === undefined) return <Muted>unknown type</Muted>;
  const source = entry.info.priceSource;
  // Only the bundled table is approximate; a Price List figure is AWS's own.
  const bundled = source === undefined || source.source === 'bundled';
  return (
    <span title={`Linux on-demand price in this region (${source === undefined ? `bundled, as of ${PRICES_AS_OF}` : provenanceLabel(source)})`}>
      {formatPrice(entry.info.pricePerHour)}
      {bundled && (
        <>
          {' '}
          <Muted>approx.</Muted>
        </>
      )}
    </span>
  );
}

/** The type, and for a spot instance its kind or — in warning colour — what AWS is doing to it. */
function typeCell(instance: InstanceSummary): ReactNode {
  if (!instance.spot) return <span className="mono">{instance.type}</span>;
  const notice = spotNotice(instance.spot);
  const words = spotKindWords(instance.spot);
  const shortWords = words.replace(/ \(.*\)$/, '');
  return (
    <>
      <span className="cell__primary mono">{instance.type}</span>
      {notice ? (
        <span className={`cell__secondary cell__text${notice.level === 'interruption' ? ' spot-notice' : ''}`} title={notice.text}>
          <span className="visually-hidden">{notice.level === 'interruption' ? 'Spot interruption: ' : 'Spot: '}</span>
          {notice.short}
        </span>
      ) : (
        <span className="cell__secondary cell__text" title={words}>
          {/* The column is narrow: the kind shows, what it does on interruption is in the tooltip and read out. */}
          {shortWords}
          <span className="visually-hidden">{words.slice(shortWords.length)}</span>
        </span>
      )}
    </>
  );
}

/**
 * One instance. Memoised: a poll that returns the same object for an unchanged instance (or a scroll)
 * re-renders nothing; only rows whose data, selection or focus changed are redrawn.
 */
export const InstanceRow = memo(function InstanceRow({
  instance,
  index,
  selected,
  active,
  typeEntry,
  now,
  onToggle,
  onActivate,
  onCopied,
  onConnect,
  onConnectionSettings,
  onFiles,
  onMetrics,
  onWindowsPassword,
  onDetails,
  dropHint,
  accountId,
  columns,
  ways,
}: InstanceRowProps): ReactNode {
  const windows = isWindowsPlatform(instance.platform);
  const { AutoStopBadge } = useScreenSlots();
  const label = instance.name ?? instance.id;
  const launched = Date.parse(instance.launchTime);
  const copyTab = active ? 0 : -1;

  // One cell per column key: the table shows the columns the user chose, in table order.
  function cell(key: SortKey): ReactNode {
    switch (key) {
      case 'name':
        return (
          <div key="name" role="gridcell" className="cell cell--sticky cell--name">
            {instance.name ? <span className="cell__primary cell__text" title={instance.name}>{instance.name}</span> : <Muted>(no name)</Muted>}
          </div>
        );
      case 'id':
        return (
          <div key="id" role="gridcell" className="cell">
            <span className="cell__line">
              <span className="mono cell__text">{instance.id}</span>
              <CopyButton text={instance.id} what="instance ID" onCopied={onCopied} tabIndex={copyTab} />
            </span>
          </div>
        );
      case 'state':
        return (
          <div key="state" role="gridcell" className="cell cell--stack">
            <span className="cell__line">
              <StateBadge state={instance.state} reason={instance.stateReason} />
              {instance.state === 'running' && (
                <button
                  type="button"
                  className="connect-button"
                  tabIndex={copyTab}
                  aria-label={`Connect to ${label}`}
                  title={`Open a terminal on this instance${ways?.best === undefined ? '' : ` (${WAY_IN_LABELS[ways.best]})`}`}
                  onClick={(event) => {
                    event.stopPropagation();
                    onConnect(instance, connectAccess(ways));
                  }}
                >
                  Connect
                </button>
              )}
              {instance.state === 'running' && <ConnectMenu instance={instance} label={label} ways={ways} onConnect={onConnect} />}
              {windows && onWindowsPassword && instance.state !== 'terminated' && (
                <button
                  type="button"
                  className="connect-button"
                  tabIndex={copyTab}
                  aria-label={`Windows password of ${label}`}
                  title="Get the Administrator password (decrypted with the key pair's private key) and open Remote Desktop"
                  onClick={(event) => {
                    event.stopPropagation();
                    onWindowsPassword(instance);
                  }}
                >
                  Password
                </button>
              )}
              {instance.state === 'running' && onFiles && (
                <button
                  type="button"
                  className="connect-button"
                  tabIndex={copyTab}
                  aria-label={`Files on ${label}`}
                  title={
                    ways !== undefined && !ways.sshReachable
                      ? 'Files need SSH, which cannot reach this instance (a Session Manager terminal can still use it). Open port 22 to your IP in Console and network → Firewall, or import its key.'
                      : 'Browse, upload and download files on this instance'
                  }
                  onClick={(event) => {
                    event.stopPropagation();
                    onFiles(instance);
                  }}
                >
                  Files
                </button>
              )}
              <button
                type="button"
                className="copy-button connection-settings-button"
                tabIndex={copyTab}
                aria-label={`Connection settings for ${label}`}
                title="Connection settings: host, user, key, persistent session, host key"
                onClick={(event) => {
                  event.stopPropagation();
                  onConnectionSettings(instance);
                }}
              >
                <ExtraIcons.gear size={14} />
              </button>
              {onMetrics && instance.state !== 'terminated' && (
                <button
                  type="button"
                  className="copy-button"
                  tabIndex={copyTab}
                  aria-label={`Metrics of ${label}`}
                  title="CPU and network of the last 3 hours (CloudWatch)"
                  onClick={(event) => {
                    event.stopPropagation();
                    onMetrics(instance);
                  }}
                >
                  <ExtraIcons.chart size={14} />
                </button>
              )}
              {onDetails && instance.state !== 'terminated' && (
                <button
                  type="button"
                  className="copy-button"
                  tabIndex={copyTab}
                  aria-label={`Console and network of ${label}`}
                  title="Console output and screenshot (when SSH does not answer), firewall rules, Elastic IP"
                  onClick={(event) => {
                    event.stopPropagation();
                    onDetails(instance);
                  }}
                >
                  <ExtraIcons.screen size={14} />
                </button>
              )}
            </span>
            {accountId !== undefined && <AutoStopBadge accountId={accountId} instance={instance} />}
          </div>
        );
      case 'type':
        return (
          <div key="type" role="gridcell" className="cell cell--stack">{typeCell(instance)}</div>
        );
      case 'shape':
        return (
          <div key="shape" role="gridcell" className="cell cell--stack">{shapeCell(typeEntry)}</div>
        );
      case 'az':
        return (
          <div key="az" role="gridcell" className="cell cell--stack">
            <span className="cell__primary">{instance.availabilityZone}</span>
            <span className="cell__secondary" title={instance.region}>
              {regionDisplayName(instance.region)}
            </span>
          </div>
        );
      case 'publicIp':
        return (
          <div key="publicIp" role="gridcell" className="cell cell--stack">
            {instance.publicIp ? (
              <span className="cell__line">
                <span className="mono cell__text">{instance.publicIp}</span>
                <CopyButton text={instance.publicIp} what="public IP" onCopied={onCopied} tabIndex={copyTab} />
              </span>
            ) : (
              <Muted>No public IP</Muted>
            )}
            {instance.publicDns && (
              <span className="cell__line cell__secondary">
                <span className="cell__text" title={instance.publicDns}>
                  {instance.publicDns}
                </span>
                <CopyButton text={instance.publicDns} what="public DNS name" onCopied={onCopied} tabIndex={copyTab} />
              </span>
            )}
          </div>
        );
      case 'privateIp':
        return (
          <div key="privateIp" role="gridcell" className="cell">
            {instance.privateIp ? (
              <span className="cell__line">
                <span className="mono cell__text">{instance.privateIp}</span>
                <CopyButton text={instance.privateIp} what="private IP" onCopied={onCopied} tabIndex={copyTab} />
              </span>
            ) : (
              <Muted>—</Muted>
            )}
          </div>
        );
      case 'keyName':
        return (
          <div key="keyName" role="gridcell" className="cell">
            {instance.keyName ? <span className="cell__text" title={instance.keyName}>{instance.keyName}</span> : <Muted>none</Muted>}
          </div>
        );
      case 'platform':
        return (
          <div key="platform" role="gridcell" className="cell cell--stack">
            <span className="cell__primary cell__text">{instance.platform ?? 'Unknown platform'}</span>
            <span className="cell__secondary mono cell__text">{instance.imageId}</span>
          </div>
        );
      case 'launchTime':
        return (
          <div key="launchTime" role="gridcell" className="cell cell--stack">
            <span className="cell__primary">{formatLaunch(instance.launchTime)}</span>
            <span className="cell__secondary">
              {instance.state === 'running' && !Number.isNaN(launched) ? `up ${formatDuration(Math.max(0, now - launched))}` : ' '}
            </span>
          </div>
        );
      case 'price':
        return (
          <div key="price" role="gridcell" className="cell">{priceCell(typeEntry)}</div>
        );
    }
  }

  return (
    <div
      role="row"
      id={rowDomId(instance.id)}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`grid-row${selected ? ' grid-row--selected' : ''}${active ? ' grid-row--active' : ''}${instance.state === 'terminated' ? ' grid-row--gone' : ''}`}
      style={{ top: index * ROW_HEIGHT }}
      onMouseDown={() => onActivate(instance.id)}
    >
      <GridSelectCell label={label} selected={selected} onToggle={(range) => onToggle(instance.id, range)} />
      {columns.map((column) => cell(column.key))}
      {dropHint && <DropHintOverlay hint={dropHint} />}
    </div>
  );
});
