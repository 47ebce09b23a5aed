/** Longest label Hangar makes up for an account (the input schema allows the same). */
export const MAX_LABEL = 80;

/** "AKIA…MPLE": enough to recognise a key in a list, not enough to use it. */
export function accessKeyIdHint(accessKeyId: string): string {
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

/** The IAM user or assumed role's name from an ARN, else the AWS account id. */
export function defaultLabel(arn: string, account: string): string {
  const user = /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  const role = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\//.exec(arn)?.[1];
  return clip(user ?? role ?? `AWS ${account}`, MAX_LABEL);
}

export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
