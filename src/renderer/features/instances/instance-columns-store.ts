import { useMemo } from 'react';
import { DEFAULT_INSTANCE_COLUMNS } from '../../../shared/models/settings';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { createStore, useStore } from '../../state/create-store';
import { followMain } from '../../state/follow-main';
import { COLUMNS, visibleColumns, type ColumnDef } from './instance-columns';
import type { SortKey } from './instance-query';

/**
 * The Instances table's chosen columns, remembered in settings (ui.instanceColumns): loaded once, kept
 * current by `settings.changed` (another window), changed here at once and then saved.
 */
function createInstanceColumnsStore() {
  const store = createStore<readonly string[]>(DEFAULT_INSTANCE_COLUMNS);
  let saving = 0;
  const followed = followMain(store, {
    listen() {
      subscribe.settingsChanged((settings) => {
        if (saving === 0) store.set(settings.ui.instanceColumns);
      });
    },
    fetch() {
      api.settings.get().then(
        (settings) => {
          if (saving === 0) store.set(settings.ui.instanceColumns);
        },
        () => undefined,
      );
    },
  });

  return {
    get: followed.get,
    subscribe: followed.subscribe,
    /** Shows or hides an optional column (the name always shows). */
    toggle(key: SortKey, shown: boolean): void {
      const current = store.get();
      // Kept in table order, unknown keys of another version included, so nothing of theirs is lost.
      const next = shown ? [...current.filter((k) => k !== key), key] : current.filter((k) => k !== key);
      const ordered = [...next].sort((a, b) => rank(a) - rank(b));
      store.set(ordered);
      saving++;
      api.settings
        .update({ ui: { instanceColumns: ordered } })
        .then(
          (settings) => settings.ui.instanceColumns,
          () => current,
        )
        .then((confirmed) => {
          saving--;
          if (saving === 0) store.set(confirmed);
        });
    },
  };
}

function rank(key: string): number {
  const index = COLUMNS.findIndex((column) => column.key === key);
  return index === -1 ? COLUMNS.length : index;
}

export const instanceColumnsStore = createInstanceColumnsStore();

/** The columns the table shows now. */
export function useInstanceColumns(): readonly ColumnDef[] {
  const chosen = useStore(instanceColumnsStore);
  return useMemo(() => visibleColumns(chosen), [chosen]);
}
