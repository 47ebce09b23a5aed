import { memo, useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type Ref } from 'react';
import type { RemoteEntry } from '../../../shared/models/transfers';
import { FileIcons } from './file-icons';
import { formatModified, formatSize } from './format-entry';

export interface FileSelection {
  /** Names of the selected entries. */
  readonly names: ReadonlySet<string>;
  /** Index (in the shown entries) of the row with keyboard focus. */
  readonly focus: number;
  /** Where a shift-extension starts. */
  readonly anchor: number;
}

export const NO_SELECTION: FileSelection = { names: new Set(), focus: 0, anchor: 0 };

export function isFolderLike(entry: RemoteEntry): boolean {
  return entry.kind === 'directory' || (entry.kind === 'symlink' && entry.targetKind === 'directory');
}

function kindLabel(entry: RemoteEntry): string {
  if (entry.kind === 'directory') return 'Folder';
  if (entry.kind === 'file') return 'File';
  if (entry.kind === 'symlink') {
    if (entry.targetKind === 'directory') return 'Link to a folder';
    if (entry.targetKind === 'file') return 'Link to a file';
    return 'Broken link';
  }
  return 'Special file';
}

function KindIcon({ entry }: { entry: RemoteEntry }): ReactNode {
  if (entry.kind === 'directory') return <FileIcons.folder size={16} className="file-icon file-icon--folder" />;
  if (entry.kind === 'symlink') {
    return entry.targetKind === 'directory' ? (
      <FileIcons.folderLink size={16} className="file-icon file-icon--folder" />
    ) : (
      <FileIcons.link size={16} className="file-icon" />
    );
  }
  if (entry.kind === 'file') return <FileIcons.file size={16} className="file-icon" />;
  return <FileIcons.other size={16} className="file-icon" />;
}

function rowIndexOf(target: EventTarget): number | undefined {
  const row = target instanceof Element ? target.closest<HTMLElement>('tr[data-index]') : null;
  return row ? Number(row.dataset.index) : undefined;
}

interface FileRowProps {
  entry: RemoteEntry;
  index: number;
  rowId: string;
  selected: boolean;
  focused: boolean;
}

/** One entry. Memoised: moving the selection in a folder of thousands redraws only the rows that changed. */
const FileRow = memo(function FileRow({ entry, index, rowId, selected, focused }: FileRowProps): ReactNode {
  const folder = isFolderLike(entry);
  return (
    <tr
      id={rowId}
      role="row"
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`file-row${selected ? ' file-row--selected' : ''}${focused ? ' file-row--focus' : ''}${entry.name.startsWith('.') ? ' file-row--hidden' : ''}`}
    >
      <td role="gridcell" className="file-table__name" title={entry.name}>
        <span className="file-name">
          <KindIcon entry={entry} />
          <span className="file-name__text">{entry.name}</span>
          <span className="visually-hidden">, {kindLabel(entry)}</span>
        </span>
      </td>
      <td role="gridcell" className="file-table__size">
        {folder ? <span className="file-table__muted">—</span> : formatSize(entry.size)}
      </td>
      <td role="gridcell" className="file-table__modified">
        {formatModified(entry.mtimeMs)}
      </td>
      <td role="gridcell" className="file-table__permissions mono" title={`${entry.permissions} (${entry.mode.toString(8).padStart(4, '0')})`}>
        {entry.permissions}
      </td>
    </tr>
  );
});

export interface FileTableProps {
  entries: readonly RemoteEntry[];
  selection: FileSelection;
  onSelectionChange: (selection: FileSelection) => void;
  /** Double-click or Enter on a folder (or a link to one). */
  onOpen: (entry: RemoteEntry) => void;
  /** Backspace / Alt+↑. */
  onUp: () => void;
  onRename: () => void;
  onDelete: () => void;
  label: string;
  ref?: Ref<HTMLTableElement>;
}

function range(a: number, b: number, entries: readonly RemoteEntry[]): Set<string> {
  const names = new Set<string>();
  for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
    const entry = entries[i];
    if (entry) names.add(entry.name);
  }
  return names;
}

/**
 * The folder's entries as an ARIA grid with one tab stop: the table holds focus and points at the active row
 * (aria-activedescendant), arrows move it, Shift extends and Ctrl moves without selecting, like a file manager.
 */
export function FileTable({ entries, selection, onSelectionChange, onOpen, onUp, onRename, onDelete, label, ref }: FileTableProps): ReactNode {
  const id = useId();
  const rowId = (index: number): string => `${id}-row-${index}`;
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const focus = Math.min(selection.focus, Math.max(0, entries.length - 1));

  useEffect(() => {
    // Keep the active row in view as the keyboard moves it.
    bodyRef.current?.querySelector(`[data-index="${focus}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [focus]);

  function moveTo(index: number, mode: 'select' | 'extend' | 'focus'): void {
    const next = Math.max(0, Math.min(entries.length - 1, index));
    const entry = entries[next];
    if (!entry) return;
    if (mode === 'focus') onSelectionChange({ ...selection, focus: next });
    else if (mode === 'extend') onSelectionChange({ names: range(selection.anchor, next, entries), focus: next, anchor: selection.anchor });
    else onSelectionChange({ names: new Set([entry.name]), focus: next, anchor: next });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTableElement>): void {
    const ctrl = event.ctrlKey || event.metaKey;
    const mode = event.shiftKey ? 'extend' : ctrl ? 'focus' : 'select';
    const page = Math.max(1, Math.floor((bodyRef.current?.parentElement?.parentElement?.clientHeight ?? 320) / 32) - 1);
    const active = entries[focus];
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(selection.names.size === 0 && mode === 'select' ? focus : focus + 1, mode);
        break;
      case 'ArrowUp':
        if (event.altKey) onUp();
        else moveTo(focus - 1, mode);
        break;
      case 'PageDown':
        moveTo(focus + page, mode);
        break;
      case 'PageUp':
        moveTo(focus - page, mode);
        break;
      case 'Home':
        moveTo(0, mode);
        break;
      case 'End':
        moveTo(entries.length - 1, mode);
        break;
      case ' ':
        if (active) {
          const names = new Set(selection.names);
          if (names.has(active.name)) names.delete(active.name);
          else names.add(active.name);
          onSelectionChange({ names, focus, anchor: focus });
        }
        break;
      case 'Enter':
        if (active && isFolderLike(active)) onOpen(active);
        break;
      case 'Backspace':
        onUp();
        break;
      case 'F2':
        onRename();
        break;
      case 'Delete':
        onDelete();
        break;
      case 'a':
      case 'A':
        if (ctrl) onSelectionChange({ names: new Set(entries.map((e) => e.name)), focus, anchor: selection.anchor });
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  function onRowClick(index: number, event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): void {
    const entry = entries[index];
    if (!entry) return;
    if (event.shiftKey) {
      onSelectionChange({ names: range(selection.anchor, index, entries), focus: index, anchor: selection.anchor });
    } else if (event.ctrlKey || event.metaKey) {
      const names = new Set(selection.names);
      if (names.has(entry.name)) names.delete(entry.name);
      else names.add(entry.name);
      onSelectionChange({ names, focus: index, anchor: index });
    } else {
      onSelectionChange({ names: new Set([entry.name]), focus: index, anchor: index });
    }
  }

  return (
    <table
      ref={ref}
      className="file-table"
      role="grid"
      aria-label={label}
      aria-multiselectable="true"
      aria-rowcount={entries.length + 1}
      tabIndex={0}
      aria-activedescendant={entries.length > 0 ? rowId(focus) : undefined}
      onKeyDown={onKeyDown}
    >
      <thead>
        <tr role="row" aria-rowindex={1}>
          <th role="columnheader" scope="col" className="file-table__name">
            Name
          </th>
          <th role="columnheader" scope="col" className="file-table__size">
            Size
          </th>
          <th role="columnheader" scope="col" className="file-table__modified">
            Modified
          </th>
          <th role="columnheader" scope="col" className="file-table__permissions">
            Permissions
          </th>
        </tr>
      </thead>
      <tbody
        ref={bodyRef}
        // One handler for all rows (found by data-index), so the memoised rows need no callbacks of their own.
        onMouseDown={(event) => {
          // Shift-click extends the selection; it must not also select the text between.
          if (event.shiftKey) event.preventDefault();
        }}
        onClick={(event) => {
          const index = rowIndexOf(event.target);
          if (index !== undefined) onRowClick(index, event);
        }}
        onDoubleClick={(event) => {
          const index = rowIndexOf(event.target);
          const entry = index === undefined ? undefined : entries[index];
          if (entry && isFolderLike(entry)) onOpen(entry);
        }}
      >
        {entries.map((entry, index) => (
          <FileRow key={entry.name} entry={entry} index={index} rowId={rowId(index)} selected={selection.names.has(entry.name)} focused={index === focus} />
        ))}
      </tbody>
    </table>
  );
}
