import { CREATED_BY_TAG } from '../../../shared/models/launch';
import { HOURS_PER_MONTH, type LedgerRow, type PriceProvenance } from '../../../shared/models/costs';
import type { InstancePrice, PricedRates } from './price-source';
import { GP3_FREE_IOPS, GP3_FREE_THROUGHPUT } from './region-rates';
import type { InstanceFact, RegionResources, Tagged, VolumeFact } from './region-resources';
import type { SpotPrice } from './spot-prices';

export interface RegionPrices {
  readonly onDemand: ReadonlyMap<string, InstancePrice>;
  readonly spot: ReadonlyMap<string, SpotPrice>;
  readonly rates: PricedRates | undefined;
}

/** "$0.0104", "$0.08", "$1.006", "$16.29": as AWS lists rates, never rounded away, at least two decimals. */
const usd = (value: number): string => `$${value >= 100 ? value.toFixed(2) : value.toFixed(4).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
// One formatter for every row: toLocaleString builds a new one per call, which a 2,000-row ledger feels.
const thousands = new Intl.NumberFormat('en-US');
const gib = (n: number): string => `${thousands.format(n)} GiB`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const running = (state: string): boolean => state === 'running' || state === 'pending';

interface VolumeCost {
  readonly monthly: number | undefined;
  readonly rate: string;
}

/** A volume's monthly cost: its size at the type's GB-month rate, plus gp3's IOPS and throughput above the free baseline. */
export function volumeCost(v: Pick<VolumeFact, 'size' | 'type' | 'iops' | 'throughput'>, prices: PricedRates | undefined): VolumeCost {
  const perGb = prices?.rates.volumeGbMonth[v.type];
  if (perGb === undefined) return { monthly: undefined, rate: `${gib(v.size)} ${v.type}, price unknown` };
  let monthly = v.size * perGb;
  const parts = [`${gib(v.size)} × ${usd(perGb)} per GB-month`];
  if (v.type === 'gp3') {
    const extraIops = Math.max(0, (v.iops ?? GP3_FREE_IOPS) - GP3_FREE_IOPS);
    const extraThroughput = Math.max(0, (v.throughput ?? GP3_FREE_THROUGHPUT) - GP3_FREE_THROUGHPUT);
    const { gp3IopsMonth, gp3ThroughputMonth } = prices?.rates ?? {};
    if (extraIops > 0 && gp3IopsMonth !== undefined) {
      monthly += extraIops * gp3IopsMonth;
      parts.push(`${thousands.format(extraIops)} extra IOPS × ${usd(gp3IopsMonth)}`);
    }
    if (extraThroughput > 0 && gp3ThroughputMonth !== undefined) {
      monthly += extraThroughput * gp3ThroughputMonth;
      parts.push(`${extraThroughput} extra MiB/s × ${usd(gp3ThroughputMonth)}`);
    }
  }
  return { monthly, rate: parts.join(' + ') };
}

/** Whether Hangar made it, and its Name tag (an empty tag is no name). */
function isHangars(fact: Tagged): boolean {
  return Object.hasOwn(fact.tags, CREATED_BY_TAG.key);
}

function nameOf(fact: Tagged): string | undefined {
  const name = fact.tags.Name;
  return name === undefined || name === '' ? undefined : name;
}

const perMonth = (hourly: number | undefined): number | undefined => (hourly === undefined ? undefined : hourly * HOURS_PER_MONTH);
const perHour = (monthly: number | undefined): number | undefined => (monthly === undefined ? undefined : monthly / HOURS_PER_MONTH);

/** Compute price of an instance: the spot price in its zone for a spot instance, else on-demand. */
function computePrice(i: InstanceFact, prices: RegionPrices): { usd: number; provenance: PriceProvenance } | undefined {
  if (i.spot) {
    const spot = prices.spot.get(i.type);
    const inZone = spot?.byZone.get(i.availabilityZone);
    if (spot && inZone !== undefined) return { usd: inZone, provenance: { source: 'spot', at: spot.at } };
  }
  return prices.onDemand.get(i.type);
}

/**
 * The ledger rows of one region. Volumes attached to a listed instance are counted in that instance's row
 * (a stopped instance costs exactly its disks); snapshots behind one of the account's AMIs are counted in
 * the AMI's row. So every billing thing is in exactly one row, and the totals add up.
 */
export function ledgerRows(accountId: string, region: string, r: RegionResources, prices: RegionPrices, now: number): LedgerRow[] {
  const rows: LedgerRow[] = [];
  const rates = prices.rates;
  const ipv4 = rates?.rates.publicIpv4Hourly;
  const instanceIds = new Set(r.instances.map((i) => i.id));
  const volumesOf = new Map<string, VolumeFact[]>();
  for (const v of r.volumes) if (v.attachedTo !== undefined && instanceIds.has(v.attachedTo)) volumesOf.set(v.attachedTo, [...(volumesOf.get(v.attachedTo) ?? []), v]);
  const instanceName = new Map(r.instances.map((i) => [i.id, i.tags.Name]));
  const label = (id: string): string => (instanceName.get(id) ? `${instanceName.get(id) ?? ''} (${id})` : id);
  const addressIps = new Set(r.addresses.map((a) => a.publicIp));

  for (const i of r.instances) {
    const disks = volumesOf.get(i.id) ?? [];
    const diskCosts = disks.map((v) => volumeCost(v, rates));
    const diskGiB = disks.reduce((n, v) => n + v.size, 0);
    const diskMonthly = diskCosts.every((c) => c.monthly !== undefined) ? diskCosts.reduce((n, c) => n + (c.monthly ?? 0), 0) : undefined;
    const disksText = disks.length === 0 ? 'no EBS volumes' : `${plural(disks.length, 'volume')} (${gib(diskGiB)})`;
    const on = running(i.state);
    const compute = on ? computePrice(i, prices) : undefined;
    const hourly = diskMonthly === undefined || (on && compute === undefined) ? undefined : (compute?.usd ?? 0) + diskMonthly / HOURS_PER_MONTH;
    const diskRate = disks.length === 0 ? '' : `${diskMonthly === undefined ? 'volumes: price unknown' : `${usd(diskMonthly)} per month for ${disksText}`}`;
    const since = i.launchTime === undefined ? undefined : Date.parse(i.launchTime);
    // Rows are plain literals (no spreads): a 2,000-row ledger builds them in a blink that way.
    rows.push({
      key: `${accountId}/${region}/${i.id}`,
      accountId,
      region,
      id: i.id,
      name: nameOf(i),
      createdByHangar: isHangars(i),
      kind: 'instance',
      state: i.state,
      size: `${i.type}${i.spot ? ' (spot)' : ''}${disks.length === 0 ? '' : ` · ${gib(diskGiB)}`}`,
      sizeGiB: diskGiB,
      billing: on ? 'per-hour' : 'per-gb-month',
      rate: on
        ? [compute === undefined ? `${i.type}: price unknown` : `${usd(compute.usd)} per hour${i.spot && compute.provenance.source === 'spot' ? ' (spot)' : ''}`, diskRate].filter(Boolean).join(' + ')
        : diskRate || 'nothing while stopped',
      hourly,
      monthly: perMonth(hourly),
      createdAt: i.launchTime,
      runningSince: on ? i.launchTime : undefined,
      costSinceStart: on && compute !== undefined && since !== undefined && !Number.isNaN(since) ? (compute.usd * Math.max(0, now - since)) / 3_600_000 : undefined,
      note: on
        ? `Running: compute bills every second it runs${disks.length === 0 ? '' : `, and its ${disksText} bill until deleted`}. Stop it to stop compute billing; terminate it to stop both.`
        : `Stopped: compute is free, but its ${disksText} still bill. Terminate it (which deletes volumes marked delete-on-termination) to stop that.`,
      priceSource: compute?.provenance ?? rates?.provenance,
      actions: on ? ['stop-instance', 'terminate-instance'] : ['terminate-instance'],
    });
    if (on && i.publicIp !== undefined && !addressIps.has(i.publicIp)) {
      rows.push({
        // Named by its address: the instance's name would make two rows look like one machine.
        key: `${accountId}/${region}/ip-${i.publicIp}`,
        accountId,
        region,
        id: i.publicIp,
        createdByHangar: isHangars(i),
        kind: 'public-ipv4',
        size: i.publicIp,
        billing: 'per-hour',
        rate: ipv4 === undefined ? 'price unknown' : `${usd(ipv4)} per hour`,
        hourly: ipv4,
        monthly: perMonth(ipv4),
        note: `Given to ${label(i.id)} while it runs; every public IPv4 address bills per hour. It goes away when the instance stops.`,
        priceSource: rates?.provenance,
        actions: [],
        related: { instanceId: i.id, instanceName: nameOf(i) },
      });
    }
  }

  for (const v of r.volumes) {
    if (v.attachedTo !== undefined && instanceIds.has(v.attachedTo)) continue;
    const cost = volumeCost(v, rates);
    const monthly = cost.monthly;
    rows.push({
      key: `${accountId}/${region}/${v.id}`,
      accountId,
      region,
      id: v.id,
      name: nameOf(v),
      createdByHangar: isHangars(v),
      kind: 'volume',
      state: v.state,
      size: `${gib(v.size)} ${v.type}`,
      sizeGiB: v.size,
      billing: 'per-gb-month',
      rate: cost.rate,
      hourly: perHour(monthly),
      monthly,
      createdAt: v.createTime,
      note:
        v.attachedTo === undefined
          ? 'Not attached to any instance, yet it bills for its full size. Delete it if its data is not needed (a snapshot keeps the data for less).'
          : `Attached to ${v.attachedTo}, which is shutting down or gone; it bills until deleted.`,
      priceSource: rates?.provenance,
      actions: ['delete-volume'],
      related: v.attachedTo === undefined ? undefined : { instanceId: v.attachedTo },
    });
  }

  const snapshotById = new Map(r.snapshots.map((s) => [s.id, s]));
  const snapshotMonthly = (id: string, fallbackSize: number): { monthly: number | undefined; size: number } => {
    const s = snapshotById.get(id);
    const size = s?.volumeSize ?? fallbackSize;
    const rate = s?.storageTier === 'archive' ? rates?.rates.snapshotArchiveGbMonth : rates?.rates.snapshotGbMonth;
    return { monthly: rate === undefined ? undefined : size * rate, size };
  };
  const behindImages = new Set(r.images.flatMap((img) => img.snapshots.map((s) => s.id)));

  for (const img of r.images) {
    const parts = img.snapshots.map((s) => snapshotMonthly(s.id, s.size));
    const size = parts.reduce((n, p) => n + p.size, 0);
    const monthly = parts.every((p) => p.monthly !== undefined) ? parts.reduce((n, p) => n + (p.monthly ?? 0), 0) : undefined;
    const perGb = rates?.rates.snapshotGbMonth;
    rows.push({
      key: `${accountId}/${region}/${img.id}`,
      accountId,
      region,
      id: img.id,
      name: nameOf(img) ?? img.name,
      createdByHangar: isHangars(img),
      kind: 'image',
      size: `${plural(img.snapshots.length, 'snapshot')} · ${gib(size)}`,
      sizeGiB: size,
      billing: 'per-gb-month',
      rate: monthly === undefined || perGb === undefined ? 'snapshot price unknown' : `${gib(size)} of snapshots × ${usd(perGb)} per GB-month`,
      hourly: perHour(monthly),
      monthly,
      createdAt: img.creationDate,
      note: `The AMI itself is free; its ${plural(img.snapshots.length, 'snapshot')} (${gib(size)}) bill. Deregistering it and deleting its snapshots stops that; instances launched from it are not affected.`,
      priceSource: rates?.provenance,
      actions: ['deregister-image'],
      related: { snapshotIds: img.snapshots.map((snap) => snap.id) },
    });
  }

  for (const s of r.snapshots) {
    if (behindImages.has(s.id)) continue;
    const { monthly } = snapshotMonthly(s.id, s.volumeSize);
    const archive = s.storageTier === 'archive';
    const perGb = archive ? rates?.rates.snapshotArchiveGbMonth : rates?.rates.snapshotGbMonth;
    rows.push({
      key: `${accountId}/${region}/${s.id}`,
      accountId,
      region,
      id: s.id,
      name: nameOf(s),
      createdByHangar: isHangars(s),
      kind: 'snapshot',
      state: archive ? 'archived' : 'standard',
      size: gib(s.volumeSize),
      sizeGiB: s.volumeSize,
      billing: 'per-gb-month',
      rate: perGb === undefined ? 'price unknown' : `up to ${gib(s.volumeSize)} × ${usd(perGb)} per GB-month${archive ? ' (archive tier)' : ''}`,
      hourly: perHour(monthly),
      monthly,
      createdAt: s.startTime,
      note: `Bills for the data it holds, at most its volume's size (${gib(s.volumeSize)}): the cost shown is that upper bound.${s.description === '' ? '' : ` “${s.description}”`}`,
      priceSource: rates?.provenance,
      actions: ['delete-snapshot'],
    });
  }

  for (const a of r.addresses) {
    rows.push({
      key: `${accountId}/${region}/${a.allocationId}`,
      accountId,
      region,
      id: a.allocationId,
      name: nameOf(a),
      createdByHangar: isHangars(a),
      kind: 'elastic-ip',
      state: a.associated ? 'associated' : 'unassociated',
      size: a.publicIp,
      billing: 'per-hour',
      rate: ipv4 === undefined ? 'price unknown' : `${usd(ipv4)} per hour`,
      hourly: ipv4,
      monthly: perMonth(ipv4),
      note: a.associated
        ? `Attached to ${a.instanceId === undefined ? 'a network interface' : label(a.instanceId)}. Every public IPv4 address bills per hour; releasing gives this address back to AWS for good.`
        : 'Not attached to anything, yet billed every hour. Release it unless you need to keep this exact address.',
      priceSource: rates?.provenance,
      actions: ['release-address'],
      related: a.instanceId === undefined ? undefined : { instanceId: a.instanceId, instanceName: instanceName.get(a.instanceId) },
    });
  }

  for (const q of r.spotRequests) {
    // An active one-time request is just its instance, which has its own row.
    if (q.state !== 'open' && q.type !== 'persistent') continue;
    rows.push({
      key: `${accountId}/${region}/${q.id}`,
      accountId,
      region,
      id: q.id,
      name: nameOf(q),
      createdByHangar: isHangars(q),
      kind: 'spot-request',
      state: q.state,
      size: q.instanceType,
      billing: 'not-billed',
      rate: q.maxPrice === undefined ? 'nothing until it launches' : `nothing until it launches (max ${usd(q.maxPrice)} per hour)`,
      hourly: 0,
      monthly: 0,
      createdAt: q.createTime,
      note:
        q.state === 'open'
          ? `Waiting for capacity: it launches a ${q.instanceType} spot instance, which then bills, as soon as AWS can. Cancel it in the EC2 console (Spot Requests) if it is no longer wanted.`
          : `Persistent: it launches a new ${q.instanceType} whenever its instance stops or is interrupted. Cancel it in the EC2 console (Spot Requests) before terminating the instance.`,
      actions: [],
      related: q.instanceId === undefined ? undefined : { instanceId: q.instanceId },
    });
  }
  return rows;
}
