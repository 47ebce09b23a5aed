import { Fragment, useRef, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import type { TerminalTab } from '../../state/terminals/terminal-tab';
import type { TerminalSplit } from '../../state/terminals/terminal-splits';
import { terminals, useTab } from '../../state/terminals/terminals-store';

export interface SplitViewProps {
  primaryId: string;
  split: TerminalSplit;
  tabs: readonly TerminalTab[];
  /** One terminal view per pane. */
  renderPane: (tab: TerminalTab) => ReactNode;
}

const KEY_STEP = 0.05;

/**
 * A tab's panes side by side or stacked, with a divider between each two: drag it, or focus it and use the
 * arrow keys (an ARIA separator with its value in percent). Clicking into a pane gives it the keyboard.
 */
export function SplitView({ primaryId, split, tabs, renderPane }: SplitViewProps): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const row = split.direction === 'row';
  const grid = split.direction === 'grid';
  const panes = split.panes.map((id) => tabs.find((tab) => tab.id === id)).filter((tab): tab is TerminalTab => tab !== undefined);

  function startDrag(index: number, event: PointerEvent<HTMLDivElement>): void {
    const element = box.current;
    if (!element) return;
    event.preventDefault();
    const rect = element.getBoundingClientRect();
    const total = row ? rect.width : rect.height;
    let last = row ? event.clientX : event.clientY;
    const target = event.currentTarget;
    target.setPointerCapture(event.pointerId);
    const move = (e: globalThis.PointerEvent): void => {
      const now = row ? e.clientX : e.clientY;
      terminals.resizePanes(primaryId, index, (now - last) / total);
      last = now;
    };
    const up = (): void => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  }

  function onDividerKey(index: number, event: KeyboardEvent<HTMLDivElement>): void {
    const grow = row ? 'ArrowRight' : 'ArrowDown';
    const shrink = row ? 'ArrowLeft' : 'ArrowUp';
    if (event.key !== grow && event.key !== shrink) return;
    event.preventDefault();
    terminals.resizePanes(primaryId, index, event.key === grow ? KEY_STEP : -KEY_STEP);
  }

  return (
    <div
      ref={box}
      className={`terminal-split terminal-split--${split.direction}`}
      style={grid ? { gridTemplateColumns: `repeat(${Math.ceil(Math.sqrt(panes.length))}, minmax(0, 1fr))` } : undefined}
    >
      {panes.map((tab, index) => (
        <Fragment key={tab.id}>
          <Pane
            tab={tab}
            index={index}
            count={panes.length}
            size={grid ? 1 : (split.sizes[index] ?? 1 / panes.length)}
            focused={split.focused === tab.id}
            broadcast={split.broadcast === undefined ? undefined : split.broadcast.includes(tab.id)}
          >
            {renderPane(tab)}
          </Pane>
          {!grid && index < panes.length - 1 && (
            <div
              role="separator"
              tabIndex={0}
              aria-orientation={row ? 'vertical' : 'horizontal'}
              aria-label={`Resize between pane ${index + 1} and pane ${index + 2}`}
              aria-valuemin={10}
              aria-valuemax={90}
              aria-valuenow={Math.round(((split.sizes[index] ?? 0) / ((split.sizes[index] ?? 0) + (split.sizes[index + 1] ?? 0))) * 100)}
              className="terminal-split__divider"
              onPointerDown={(event) => startDrag(index, event)}
              onKeyDown={(event) => onDividerKey(index, event)}
            />
          )}
        </Fragment>
      ))}
    </div>
  );
}

interface PaneProps {
  tab: TerminalTab;
  index: number;
  count: number;
  size: number;
  focused: boolean;
  /** With broadcast on: whether typing goes to this pane; undefined when broadcast is off. */
  broadcast: boolean | undefined;
  children: ReactNode;
}

function Pane({ tab, index, count, size, focused, broadcast, children }: PaneProps): ReactNode {
  const snapshot = useTab(tab);
  const title = snapshot.session?.title ?? tab.target.name;
  return (
    <div
      role="group"
      aria-label={`Pane ${index + 1} of ${count}: ${title}`}
      className={`terminal-split__pane${focused ? ' terminal-split__pane--focused' : ''}`}
      style={{ flexGrow: size, flexBasis: 0 }}
      onFocus={() => terminals.focusPane(tab.id)}
      onPointerDown={() => terminals.focusPane(tab.id)}
    >
      {count > 1 && (
        <div className="terminal-split__title">
          <span aria-hidden="true">{title}</span>
          {broadcast !== undefined && (
            <label className="check-label terminal-split__broadcast">
              <input type="checkbox" checked={broadcast} onChange={() => terminals.toggleBroadcastPane(tab.id)} aria-label={`Broadcast typing to ${title}`} />
              <span aria-hidden="true">typing goes here</span>
            </label>
          )}
        </div>
      )}
      <div className="terminal-split__body">{children}</div>
    </div>
  );
}
