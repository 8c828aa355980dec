// The brand every Switchboard error carries, so guards recognise errors of any bundled copy of
// the library (where `instanceof` fails). Apart from the classes, so an entry point that defines
// errors of its own takes the base classes from the main entry and only this from here.

/**
 * Marks `error` with `brand`, a `Symbol.for` key that names its class, for {@link hasErrorBrand}.
 * Every package's error classes call it in their constructor.
 */
export function brandError(error: object, brand: symbol): void {
  Object.defineProperty(error, brand, { value: true });
}

/** True when `value` carries `brand`, whichever bundled copy created it. */
export function hasErrorBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
