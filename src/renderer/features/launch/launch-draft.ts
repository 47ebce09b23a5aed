import { AUTO_STOP_DEFAULT_CPU_PERCENT, AUTO_STOP_DEFAULT_MINUTES, type AutoStopChoice } from '../../../shared/models/auto-stop';
import type { KeyPairInfo, LaunchImage, LaunchRequest, LaunchTypeOption, RegionScope } from '../../../shared/models/launch';

export type VolumeType = LaunchRequest['rootVolumeType'];

/** Everything the wizard has chosen so far; turned into a LaunchRequest for the review. */
export interface LaunchDraft {
  readonly image?: LaunchImage;
  readonly type?: LaunchTypeOption;
  readonly keyPair?: KeyPairInfo;
  readonly vpcId?: string;
  /** undefined: AWS picks a default subnet (and with it the zone). */
  readonly subnetId?: string;
  readonly groupIds: readonly string[];
  readonly name: string;
  readonly count: number;
  readonly rootSizeGiB: number;
  readonly rootVolumeType: VolumeType;
  readonly deleteOnTermination: boolean;
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  readonly userData: string;
  readonly spot: boolean;
  /** "Stop when idle": the alarm is created for each instance after the launch (on by default for GPU types). */
  readonly autoStop: AutoStopChoice;
  /** With spot: persistent (stops when interrupted, can be stopped) or one-time (ends when interrupted). */
  readonly spotKind: 'persistent' | 'one-time';
  /** With spot: the maximum price per hour as typed; empty for none (pay the current spot price). */
  readonly spotMaxPrice: string;
  /** "Make these a cluster" (issue 16), with the cluster's name as typed. */
  readonly cluster: boolean;
  readonly clusterName: string;
  /** A folder of master shared over NFS with every node (empty: none), e.g. /home. */
  readonly clusterShare: string;
  /** How the instance will be reached (issue 15): SSH from my IP, or Session Manager with no port open. */
  readonly access: 'ssh' | 'session-manager';
  /** Session Manager: the user agreed that Hangar creates its IAM role and instance profile. */
  readonly ssmConsent: boolean;
  /** Session Manager: AWS says the profile is missing or incomplete, so the consent is needed to go on. */
  readonly ssmNeedsConsent: boolean;
}

/** The typed maximum spot price, or undefined when empty or not a number above a tenth of a cent (the form says why). */
export function parseMaxPrice(text: string): number | undefined {
  const value = Number(text.trim().replace(/^\$/, ''));
  return text.trim() === '' || !Number.isFinite(value) || value <= 0.001 || value > 1000 ? undefined : value;
}

function spotRequestOf(draft: LaunchDraft): LaunchRequest['spotRequest'] {
  const maxPrice = parseMaxPrice(draft.spotMaxPrice);
  const price = maxPrice === undefined ? {} : { maxPrice };
  return draft.spotKind === 'persistent' ? { type: 'persistent', interruption: 'stop', ...price } : { type: 'one-time', ...price };
}

export const EMPTY_DRAFT: LaunchDraft = {
  groupIds: [],
  name: 'hangar',
  count: 1,
  rootSizeGiB: 8,
  rootVolumeType: 'gp3',
  deleteOnTermination: true,
  tags: [],
  userData: '',
  spot: false,
  autoStop: { on: false, minutes: String(AUTO_STOP_DEFAULT_MINUTES), cpuPercent: String(AUTO_STOP_DEFAULT_CPU_PERCENT) },
  spotKind: 'persistent',
  spotMaxPrice: '',
  cluster: false,
  clusterName: '',
  clusterShare: '',
  access: 'ssh',
  ssmConsent: false,
  ssmNeedsConsent: false,
};

export function toRequest(draft: LaunchDraft, scope: RegionScope): LaunchRequest | undefined {
  if (!draft.image || !draft.type) return undefined;
  return {
    ...scope,
    imageId: draft.image.imageId,
    instanceType: draft.type.instanceType,
    ...(draft.keyPair === undefined ? {} : { keyName: draft.keyPair.keyName }),
    // Session Manager: only the group with no inbound rules, which the launch makes.
    securityGroupIds: draft.access === 'session-manager' ? [] : [...draft.groupIds],
    ...(draft.subnetId === undefined ? {} : { subnetId: draft.subnetId }),
    rootDeviceName: draft.image.rootDeviceName,
    rootSizeGiB: draft.rootSizeGiB,
    rootVolumeType: draft.rootVolumeType,
    deleteOnTermination: draft.deleteOnTermination,
    count: draft.count,
    name: draft.name.trim(),
    tags: draft.tags.filter((t) => t.key.trim() !== '').map((t) => ({ key: t.key.trim(), value: t.value })),
    ...(draft.userData.trim() === '' ? {} : { userData: draft.userData }),
    spot: draft.spot,
    ...(draft.spot ? { spotRequest: spotRequestOf(draft) } : {}),
    ...(draft.cluster && draft.count > 1 ? { cluster: { name: draft.clusterName.trim() } } : {}),
    ...(draft.access === 'session-manager' && draft.vpcId !== undefined ? { sessionManager: { createRole: draft.ssmConsent, vpcId: draft.vpcId } } : {}),
  };
}
