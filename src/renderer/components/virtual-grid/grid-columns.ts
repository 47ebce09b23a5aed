/** A column of a virtual grid; the key is what its header sorts by. */
export interface GridColumn<K extends string = string> {
  readonly key: K;
  readonly label: string;
  /** px; the last column also takes any spare width. */
  readonly width: number;
  /** Stays in view while scrolling sideways (the name column). */
  readonly sticky?: boolean;
}

/** Fixed heights: the visible slice is computed from scrollTop alone. */
export const ROW_HEIGHT = 44;
export const HEADER_HEIGHT = 36;
export const SELECT_WIDTH = 40;

/** The grid template shared by the header and every row: the checkbox, then each column. */
export function gridTemplate(columns: readonly GridColumn[]): string {
  return [
    `${SELECT_WIDTH}px`,
    ...columns.map((column, index) => (index === columns.length - 1 ? `minmax(${column.width}px, 1fr)` : `${column.width}px`)),
  ].join(' ');
}

export function tableWidth(columns: readonly GridColumn[]): number {
  return SELECT_WIDTH + columns.reduce((sum, column) => sum + column.width, 0);
}
