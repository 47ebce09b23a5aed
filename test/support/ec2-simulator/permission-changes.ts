import type { QueryParams } from './query-params';
import { SimError } from './sim-error';

/** What a Modify{Image,Snapshot}Attribute call adds to and removes from a permission list. */
export interface PermissionChanges {
  readonly addUsers: string[];
  readonly addGroups: string[];
  readonly removeUsers: string[];
  readonly removeGroups: string[];
}

/**
 * Both ways EC2 takes permission changes: the structured `LaunchPermission.Add.N.UserId` /
 * `CreateVolumePermission.Remove.N.Group` form, and the older `OperationType` + `UserId.N` / `UserGroup.N`.
 */
export function permissionChanges(params: QueryParams, structured: 'LaunchPermission' | 'CreateVolumePermission'): PermissionChanges {
  const of = (op: 'Add' | 'Remove', field: 'UserId' | 'Group'): string[] =>
    params.indexes(`${structured}.${op}`, `.${field}`).map((n) => params.get(`${structured}.${op}.${n}.${field}`) ?? '');
  const changes = { addUsers: of('Add', 'UserId'), addGroups: of('Add', 'Group'), removeUsers: of('Remove', 'UserId'), removeGroups: of('Remove', 'Group') };
  const users = params.list('UserId');
  const groups = params.list('UserGroup');
  if (users.length + groups.length > 0) {
    const operation = params.get('OperationType');
    if (operation !== 'add' && operation !== 'remove') {
      throw new SimError(operation === undefined ? 'MissingParameter' : 'InvalidParameterValue', operation === undefined ? 'The request must contain the parameter operationType' : `Value (${operation}) for parameter operationType is invalid.`);
    }
    (operation === 'add' ? changes.addUsers : changes.removeUsers).push(...users);
    (operation === 'add' ? changes.addGroups : changes.removeGroups).push(...groups);
  }
  return changes;
}

export function isEmpty(changes: PermissionChanges): boolean {
  return changes.addUsers.length + changes.addGroups.length + changes.removeUsers.length + changes.removeGroups.length === 0;
}

/** Applies the changes to a permission list and its `all` flag: additions first, then removals, as EC2 does. */
export function applyPermissions(changes: PermissionChanges, users: Set<string>, isPublic: boolean): boolean {
  for (const u of changes.addUsers) users.add(u);
  for (const u of changes.removeUsers) users.delete(u);
  let open = isPublic || changes.addGroups.includes('all');
  if (changes.removeGroups.includes('all')) open = false;
  return open;
}
