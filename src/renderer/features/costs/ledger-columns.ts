import { gridTemplate, tableWidth, type GridColumn } from '../../components/virtual-grid/grid-columns';
import type { LedgerSortKey } from './ledger-query';

export const LEDGER_COLUMNS: readonly GridColumn<LedgerSortKey>[] = [
  { key: 'name', label: 'Name', width: 200, sticky: true },
  { key: 'kind', label: 'Kind', width: 128 },
  { key: 'cost', label: 'Per month', width: 128 },
  { key: 'region', label: 'Region', width: 168 },
  { key: 'size', label: 'Size', width: 160 },
  { key: 'age', label: 'Age', width: 140 },
  { key: 'hangar', label: 'By Hangar', width: 96 },
  { key: 'billing', label: 'How it bills', width: 320 },
];

export const LEDGER_GRID_TEMPLATE = gridTemplate(LEDGER_COLUMNS);
export const LEDGER_TABLE_WIDTH = tableWidth(LEDGER_COLUMNS);
