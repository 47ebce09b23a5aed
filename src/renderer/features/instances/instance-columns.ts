import type { SortKey } from './instance-query';

export interface ColumnDef {
  readonly key: SortKey;
  readonly label: string;
  /** px; the last column also takes any spare width. */
  readonly width: number;
  /** Stays in view while scrolling sideways, and is always shown. */
  readonly sticky?: boolean;
}

export const ROW_HEIGHT = 44;
export const HEADER_HEIGHT = 36;
export const SELECT_WIDTH = 40;

/** Every column, in table order. Which optional ones show is the user's choice (settings ui.instanceColumns). */
export const COLUMNS: readonly ColumnDef[] = [
  { key: 'name', label: 'Name', width: 180, sticky: true },
  { key: 'id', label: 'Instance ID', width: 200 },
  { key: 'state', label: 'State', width: 268 },
  { key: 'type', label: 'Type', width: 144 },
  { key: 'shape', label: 'vCPU / Memory', width: 128 },
  { key: 'az', label: 'Region / zone', width: 168 },
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

/** The grid template shared by the header and every row. */
export function gridTemplate(columns: readonly ColumnDef[]): string {
  return [
    `${SELECT_WIDTH}px`,
    ...columns.map((column, index) => (index === columns.length - 1 ? `minmax(${column.width}px, 1fr)` : `${column.width}px`)),
  ].join(' ');
}

export function tableWidth(columns: readonly ColumnDef[]): number {
  return SELECT_WIDTH + columns.reduce((sum, column) => sum + column.width, 0);
}
