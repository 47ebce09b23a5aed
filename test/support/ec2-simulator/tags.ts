import type { QueryParams } from './query-params';
import { SimError } from './sim-error';
import { items, text } from './xml';

/**
 * TagSpecification.N.ResourceType + TagSpecification.N.Tag.M.Key/Value, grouped by resource type. A type the
 * call cannot tag is refused the way EC2 refuses it; repeating a type or a key is an error too.
 */
export function parseTagSpecifications(params: QueryParams, allowed: readonly string[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const n of params.indexes('TagSpecification', '.ResourceType')) {
    const type = params.get(`TagSpecification.${n}.ResourceType`) ?? '';
    if (!allowed.includes(type)) {
      throw new SimError(
        'InvalidParameterValue',
        `'${type}' is not a valid taggable resource type for this operation.`,
      );
    }
    if (out.has(type)) {
      throw new SimError('InvalidParameterValue', `The same resource type may not be specified more than once in tag specifications`);
    }
    const tags = new Map<string, string>();
    for (const m of params.indexes(`TagSpecification.${n}.Tag`, '.Key')) {
      const key = params.get(`TagSpecification.${n}.Tag.${m}.Key`) ?? '';
      const value = params.get(`TagSpecification.${n}.Tag.${m}.Value`) ?? '';
      if (key === '' || key.length > 128) throw new SimError('InvalidParameterValue', `Tag key must be between 1 and 128 characters.`);
      if (key.startsWith('aws:')) throw new SimError('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use`);
      if (tags.has(key)) throw new SimError('InvalidParameterValue', `Duplicate tag key '${key}' specified.`);
      tags.set(key, value);
    }
    out.set(type, tags);
  }
  return out;
}

export function tagSetXml(tags: ReadonlyMap<string, string>): string {
  return items('tagSet', [...tags], ([key, value]) => text('key', key) + text('value', value));
}
