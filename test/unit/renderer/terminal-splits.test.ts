import { describe, expect, it } from 'vitest';
import { addPane, groupOf, groupPanes, isSecondary, neighbour, removePane, resizePanes, setBroadcast, toggleBroadcastPane } from '../../../src/renderer/state/terminals/terminal-splits';

describe('terminal splits', () => {
  it('adds panes after the one split, in the group of the strip tab, focusing the new one', () => {
    let splits = addPane({}, 'a', 'b', 'row');
    splits = addPane(splits, 'a', 'c', 'column');
    expect(splits.a).toEqual({ direction: 'row', panes: ['a', 'c', 'b'], sizes: [1 / 3, 1 / 3, 1 / 3], focused: 'c' });
    expect(groupOf(splits, 'b')).toBe('a');
    expect(isSecondary(splits, 'b')).toBe(true);
    expect(isSecondary(splits, 'a')).toBe(false);
  });

  it('re-keys the group when its first pane goes, and dissolves a group of one', () => {
    let splits = addPane(addPane({}, 'a', 'b', 'row'), 'b', 'c', 'row');
    splits = removePane(splits, 'a');
    expect(Object.keys(splits)).toEqual(['b']);
    expect(splits.b?.panes).toEqual(['b', 'c']);
    expect(removePane(splits, 'c')).toEqual({});
  });

  it('moves focus around the panes, wrapping', () => {
    const splits = addPane(addPane({}, 'a', 'b', 'row'), 'b', 'c', 'row');
    expect(neighbour(splits, 'c', 1)).toBe('a');
    expect(neighbour(splits, 'a', -1)).toBe('c');
    expect(neighbour({}, 'x', 1)).toBe('x');
  });

  it('resizes two neighbours and never below 10 %', () => {
    const splits = addPane({}, 'a', 'b', 'row');
    expect(resizePanes(splits, 'a', 0, 0.1).a?.sizes).toEqual([0.6, 0.4]);
    const squeezed = resizePanes(splits, 'a', 0, 0.9).a?.sizes ?? [];
    expect(squeezed[0]).toBeCloseTo(0.9);
    expect(squeezed[1]).toBeCloseTo(0.1);
  });

  it('broadcasts to every pane when turned on, one pane can leave and come back, a closed pane leaves it', () => {
    let splits = setBroadcast(groupPanes({}, ['a', 'b', 'c']), 'a', true);
    expect(splits.a?.direction).toBe('grid');
    expect(splits.a?.broadcast).toEqual(['a', 'b', 'c']);
    splits = toggleBroadcastPane(splits, 'b');
    expect(splits.a?.broadcast).toEqual(['a', 'c']);
    splits = toggleBroadcastPane(splits, 'b');
    expect(splits.a?.broadcast).toEqual(['a', 'b', 'c']);
    splits = removePane(splits, 'c');
    expect(splits.a?.broadcast).toEqual(['a', 'b']);
    expect(setBroadcast(splits, 'a', false).a?.broadcast).toBeUndefined();
  });
});
