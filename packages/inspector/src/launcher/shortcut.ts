import { InspectorError } from '../errors.ts';

/**
 * The shortcut that opens and closes the inspector unless told otherwise.
 *
 * @example
 * import { DEFAULT_SHORTCUT } from '@switchboard/inspector/launcher';
 * hint.textContent = `Inspector: ${DEFAULT_SHORTCUT}`;
 */
export const DEFAULT_SHORTCUT = 'Alt+Shift+I';

/** A parsed shortcut: the modifiers it needs and the key, as `KeyboardEvent.code` names it. */
export interface Shortcut {
  readonly ctrl: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
  /** `KeyI`, `Digit1`, `F2`, `Backquote`…: the physical key, so Alt on a Mac still matches. */
  readonly code: string;
}

const MODIFIERS: Record<string, 'ctrl' | 'alt' | 'shift' | 'meta'> = {
  ctrl: 'ctrl',
  control: 'ctrl',
  alt: 'alt',
  option: 'alt',
  shift: 'shift',
  meta: 'meta',
  cmd: 'meta',
  command: 'meta',
};

/**
 * Reads a shortcut such as `'Alt+Shift+I'`, `'Ctrl+Alt+KeyD'` or `'Meta+F2'`: modifiers, then
 * one key (a letter, a digit, `F1`–`F12`, or a `KeyboardEvent.code`). Throws `INVALID_OPTION`
 * when it cannot.
 *
 * @example
 * import { parseShortcut } from '@switchboard/inspector/launcher';
 * parseShortcut('Ctrl+Shift+K'); // { ctrl: true, shift: true, alt: false, meta: false, code: 'KeyK' }
 */
export function parseShortcut(text: string): Shortcut {
  const parts = text.split('+').map((part) => part.trim());
  const key = parts.pop() ?? '';
  const shortcut = { ctrl: false, alt: false, shift: false, meta: false, code: '' };
  for (const part of parts) {
    const modifier = MODIFIERS[part.toLowerCase()];
    if (!modifier) throw badShortcut(text, `'${part}' is not a modifier (Ctrl, Alt, Shift, Meta)`);
    shortcut[modifier] = true;
  }
  if (/^[a-z]$/i.test(key)) shortcut.code = `Key${key.toUpperCase()}`;
  else if (/^[0-9]$/.test(key)) shortcut.code = `Digit${key}`;
  else if (/^(F([1-9]|1[0-2])|Key[A-Z]|Digit[0-9]|[A-Z][A-Za-z]+)$/.test(key)) shortcut.code = key;
  else throw badShortcut(text, `'${key}' is not a key`);
  if (!shortcut.ctrl && !shortcut.alt && !shortcut.meta && !/^F\d/.test(shortcut.code))
    throw badShortcut(text, 'it needs Ctrl, Alt or Meta (or an F key), or typing would trigger it');
  return shortcut;
}

function badShortcut(text: string, why: string): InspectorError {
  return new InspectorError(
    'INVALID_OPTION',
    'shortcut',
    `parseShortcut('${text}'): ${why}; write it like 'Alt+Shift+I', or pass shortcut: false.`,
  );
}

/**
 * True when `event` is the shortcut.
 *
 * @example
 * import { matchesShortcut, parseShortcut } from '@switchboard/inspector/launcher';
 * const help = parseShortcut('Alt+Shift+H');
 * document.addEventListener('keydown', (event) => matchesShortcut(help, event) && showHelp());
 */
export function matchesShortcut(shortcut: Shortcut, event: KeyboardEvent): boolean {
  return (
    event.code === shortcut.code &&
    event.ctrlKey === shortcut.ctrl &&
    event.altKey === shortcut.alt &&
    event.shiftKey === shortcut.shift &&
    event.metaKey === shortcut.meta
  );
}
