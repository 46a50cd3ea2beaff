/**
 * The part of the browser's DOM the dashboard uses, typed here rather than with TypeScript's `dom` library:
 * the project compiles browser and Node code as one program, and the `dom` library's globals
 * (`ReadableStream`, `fetch` bodies) clash with Node's. Only the page's modules import this file, and only
 * a browser evaluates it.
 */

export interface DomEvent {
  readonly key?: string;
  preventDefault(): void;
}

export interface DomElement {
  textContent: string | null;
  className: string;
  title: string;
  hidden: boolean;
  readonly clientWidth: number;
  readonly dataset: Record<string, string | undefined>;
  readonly classList: { toggle(token: string, force?: boolean): boolean };
  append(...nodes: (DomElement | string)[]): void;
  replaceChildren(...nodes: (DomElement | string)[]): void;
  setAttribute(name: string, value: string): void;
  addEventListener(type: string, listener: (event: DomEvent) => void): void;
}

/** A `<select>`, `<option>` or `<input>`. */
export interface ValueElement extends DomElement {
  value: string;
  selected: boolean;
}

interface DomDocument {
  readonly body: DomElement;
  readonly hidden: boolean;
  title: string;
  createElement(tag: string): DomElement;
  getElementById(id: string): DomElement | null;
  addEventListener(type: string, listener: () => void): void;
}

interface Page {
  readonly document: DomDocument;
  readonly location: { readonly origin: string };
  addEventListener(type: string, listener: () => void): void;
}

const page = globalThis as unknown as Page;

export function dom(): DomDocument {
  return page.document;
}

export function pageOrigin(): string {
  return page.location.origin;
}

export function onWindow(type: 'resize', listener: () => void): void {
  page.addEventListener(type, listener);
}

/** Creates an element with attributes (`class` sets the class name) and children. */
export function el<T extends DomElement = DomElement>(
  tag: string,
  attributes: Readonly<Record<string, string>> = {},
  ...children: (DomElement | string)[]
): T {
  const element = page.document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') element.className = value;
    else element.setAttribute(name, value);
  }
  element.append(...children);
  return element as T;
}
