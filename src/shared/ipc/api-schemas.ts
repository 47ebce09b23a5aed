import { z } from 'zod';
import { settingsPatchSchema } from '../models/settings';
import type { Api } from './contract';
import { methodList } from './method-list';
import type { SchemaTable } from './rpc-types';

const regionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'an AWS region name such as us-east-1');

/** Runtime validation of every call's arguments: the renderer is untrusted input. */
export const apiSchemas = {
  app: {
    info: z.tuple([]),
    openExternal: z.tuple([z.string().max(8192)]),
  },
  settings: {
    get: z.tuple([]),
    update: z.tuple([settingsPatchSchema]),
  },
  secrets: {
    status: z.tuple([]),
  },
  ec2: {
    listRegions: z.tuple([]),
    listInstances: z.tuple([regionName]),
  },
} satisfies SchemaTable<Api>;

export const API_METHODS: readonly string[] = Object.freeze(methodList<Api>(apiSchemas));
