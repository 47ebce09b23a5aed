import type { GridColumn } from '../../components/virtual-grid/grid-columns';
import type { SortKey } from './instance-query';

/** A column of the Instances table; the sticky one (the name) is always shown. */
export type ColumnDef = GridColumn<SortKey>;

/** Every column, in table order. Which optional ones show is the user's choice (settings ui.instanceColumns). */
export const COLUMNS: readonly ColumnDef[] = [
  { key: 'name', label: 'Name', width: 180, sticky: true },
  { key: 'id', label: 'Instance ID', width: 200 },
  { key: 'state', label: 'State', width: 332 },
  { key: 'type', label: 'Type', width: 144 },
  { key: 'shape', label: 'vCPU / Memory', width: 128 },
  { key: 'az', label: 'Region / zone', width: 160 },
  { key: 'publicIp', label: 'Public IPv4 / DNS', width: 232 },
  { key: 'privateIp', label: 'Private IP', width: 136 },
  { key: 'keyName', label: 'Key pair', width: 120 },
  { key: 'platform', label: 'Platform / AMI', width: 176 },
  { key: 'launchTime', label: 'Launched', width: 164 },
  { key: 'price', label: 'Price / hour', width: 144 },
];

/** The name, then the chosen columns in table order; keys this version does not know are ignored. */
export function visibleColumns(chosen: readonly string[]): readonly ColumnDef[] {
  return COLUMNS.filter((column) => column.sticky === true || chosen.includes(column.key));
}
