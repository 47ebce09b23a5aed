import type { Tag } from '@aws-sdk/client-ec2';
import { CREATED_BY_TAG } from '../../../shared/models/launch';

/** Whether Hangar made this resource (key pair, security group): only those does it change or offer to clean up. */
export function isHangarTagged(tags: Tag[] | undefined): boolean {
  return (tags ?? []).some((t) => t.Key === CREATED_BY_TAG.key);
}
