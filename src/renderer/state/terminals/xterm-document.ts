/**
 * xterm.js styles itself at run time: it inserts <style> elements (scrollbar, DOM renderer rows) and,
 * in the DOM renderer, `style` attributes for true-colour cells. Our CSP forbids both ('unsafe-inline'
 * is not in style-src), which would leave the terminal unstyled and report violations.
 *
 * Instead of loosening the CSP, xterm gets its own view of the document (its documentOverride option):
 * - `createElement('style')` returns an inert element whose text goes into a constructable stylesheet
 *   adopted by the document while the element is connected (CSSOM, which CSP does not gate);
 * - `<span>`s it creates turn `setAttribute('style', …)` into `style.cssText = …` (CSSOM again).
 * Everything else is the real document. Markup injected elsewhere is still blocked by the CSP.
 */
const TAG = 'hangar-xterm-style';

function defineStyleElement(): void {
  if (customElements.get(TAG)) return;
  class XtermStyleElement extends HTMLElement {
    readonly sheet = new CSSStyleSheet();
    text = '';
    connectedCallback(): void {
      const sheets = document.adoptedStyleSheets;
      if (!sheets.includes(this.sheet)) document.adoptedStyleSheets = [...sheets, this.sheet];
    }
    disconnectedCallback(): void {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => sheet !== this.sheet);
    }
  }
  // An accessor on the prototype (TS does not let a class turn Node's textContent property into one).
  Object.defineProperty(XtermStyleElement.prototype, 'textContent', {
    configurable: true,
    get(this: XtermStyleElement): string {
      return this.text;
    },
    set(this: XtermStyleElement, value: string | null) {
      this.text = value ?? '';
      this.sheet.replaceSync(this.text);
    },
  });
  customElements.define(TAG, XtermStyleElement);
}

function styleAttributeAsCssom(element: HTMLElement): void {
  const setAttribute = element.setAttribute.bind(element);
  element.setAttribute = (name: string, value: string): void => {
    if (name.toLowerCase() === 'style') element.style.cssText = value;
    else setAttribute(name, value);
  };
}

let cached: Document | undefined;
let shimCreateElement: ((tagName: string, options?: ElementCreationOptions) => HTMLElement) | undefined;

/** The document xterm should use (pass as `documentOverride`). */
export function xtermDocument(): Document {
  if (cached) return cached;
  defineStyleElement();
  const real = document;
  // The prototype's, not `real.createElement`: withXtermDocument shadows that one with this shim.
  const native = Document.prototype.createElement;
  const createElement = (tagName: string, options?: ElementCreationOptions): HTMLElement => {
    const tag = tagName.toLowerCase();
    if (tag === 'style') return native.call(real, TAG);
    const element = native.call(real, tagName, options);
    if (tag === 'span') styleAttributeAsCssom(element);
    return element;
  };
  shimCreateElement = createElement;
  cached = new Proxy(real, {
    get(target, property) {
      if (property === 'createElement') return createElement;
      const value: unknown = Reflect.get(target, property, target);
      // Native methods must be called on the real document ("Illegal invocation" otherwise).
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return cached;
}

/**
 * Runs `open` (xterm's Terminal.open) with the real document's createElement shimmed as well: xterm 6
 * builds some elements (the viewport's scrollbar <style>) from the global document whatever
 * documentOverride says. Synchronous and restored right after, so nothing else ever sees the shim.
 */
export function withXtermDocument<T>(open: () => T): T {
  xtermDocument();
  const shim = shimCreateElement;
  if (!shim) return open();
  const target = document as Document & { createElement: unknown };
  target.createElement = shim;
  try {
    return open();
  } finally {
    delete (target as { createElement?: unknown }).createElement;
  }
}

interface XtermInternals {
  _core?: { _renderService?: { _renderer?: { value?: { _rowFactory?: { _document?: Document } } } } };
}

/**
 * xterm 6's DOM renderer builds its row factory with the global `document` (not documentOverride), and
 * that factory writes true-colour cells as `style` attributes. Point it at xtermDocument() too. Private
 * API, guarded: if a later xterm changes shape this does nothing, and the E2E's CSP check says so.
 * Call whenever the DOM renderer may have been (re)created: after open, after the WebGL addon goes.
 */
export function patchDomRenderer(terminal: object): void {
  const rowFactory = (terminal as XtermInternals)._core?._renderService?._renderer?.value?._rowFactory;
  if (rowFactory && rowFactory._document === document) rowFactory._document = xtermDocument();
}
