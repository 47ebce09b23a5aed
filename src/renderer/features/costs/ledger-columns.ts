import type { LedgerSortKey } from './ledger-query';

export interface LedgerColumn {
  readonly key: LedgerSortKey;
  readonly label: string;
  /** px; the last column also takes any spare width. */
  readonly width: number;
  readonly sticky?: boolean;
}

export const ROW_HEIGHT = 44;
export const HEADER_HEIGHT = 36;
export const SELECT_WIDTH = 40;

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'name', label: 'Name', width: 200, sticky: true },
  { key: 'kind', label: 'Kind', width: 128 },
  { key: 'cost', label: 'Per month', width: 128 },
  { key: 'region', label: 'Region', width: 168 },
  { key: 'size', label: 'Size', width: 160 },
  { key: 'age', label: 'Age', width: 140 },
  { key: 'hangar', label: 'By Hangar', width: 96 },
  { key: 'billing', label: 'How it bills', width: 320 },
];

export const LEDGER_GRID_TEMPLATE = [
  `${SELECT_WIDTH}px`,
  ...LEDGER_COLUMNS.map((c, i) => (i === LEDGER_COLUMNS.length - 1 ? `minmax(${c.width}px, 1fr)` : `${c.width}px`)),
].join(' ');

export const LEDGER_TABLE_WIDTH = SELECT_WIDTH + LEDGER_COLUMNS.reduce((sum, c) => sum + c.width, 0);
