import { describe, expect, it, vi } from 'vitest';
import { createStore } from '../../../src/renderer/state/create-store';

describe('createStore', () => {
  it('gives the value it was made with, then whatever was set', () => {
    const store = createStore({ count: 0 });
    expect(store.get()).toEqual({ count: 0 });
    store.set({ count: 1 });
    expect(store.get()).toEqual({ count: 1 });
  });

  it('tells every listener once per change, and no one after they unsubscribe', () => {
    const store = createStore(0);
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = store.subscribe(first);
    store.subscribe(second);
    store.set(1);
    stopFirst();
    store.set(2);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('does not wake anyone for a value identical to the current one', () => {
    const state = { tabs: [] };
    const store = createStore(state);
    const listener = vi.fn();
    store.subscribe(listener);
    store.set(state);
    expect(listener).not.toHaveBeenCalled();
    store.set({ tabs: [] });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('finishes a round even when a listener unsubscribes another, or subscribes a new one, while being told', () => {
    const store = createStore('a');
    const calls: string[] = [];
    let stopLate = (): void => undefined;
    store.subscribe(() => {
      calls.push(`first:${store.get()}`);
      stopLate();
      store.subscribe(() => calls.push(`added:${store.get()}`));
    });
    stopLate = store.subscribe(() => calls.push(`late:${store.get()}`));
    store.set('b');
    // The round told everyone subscribed when it began; the one added meanwhile hears the next change.
    expect(calls).toEqual(['first:b', 'late:b']);
    calls.length = 0;
    store.set('c');
    expect(calls).toEqual(['first:c', 'added:c']);
  });

  it('hands out get and subscribe that work detached from the store (useSyncExternalStore calls them so)', () => {
    const { get, set, subscribe } = createStore(1);
    const listener = vi.fn();
    subscribe(listener);
    set(2);
    expect(get()).toBe(2);
    expect(listener).toHaveBeenCalledOnce();
  });
});
