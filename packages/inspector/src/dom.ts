/** A child of {@link el}: nodes and text are appended, empty values skipped. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes of {@link el}: `true` sets a boolean attribute, `false`/undefined leaves it out. */
export type Attributes = Record<string, string | number | boolean | undefined>;

/**
 * Creates an element; the only DOM helper the inspector needs, because its views rebuild small
 * lists rather than patch them, which stays readable without a framework.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}
