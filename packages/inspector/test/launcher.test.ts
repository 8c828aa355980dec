// @vitest-environment happy-dom
import { createPubSub } from '@switchboard/bus';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isInspectorError } from '../src/index.ts';
import { createInspectorLauncher, createRecorder, DEFAULT_SHORTCUT, parseShortcut } from '../src/launcher/index.ts';
import { rows } from './fixtures.ts';

const load = vi.fn(() => import('../src/index.ts'));
const press = (init: KeyboardEventInit) =>
  document.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, ...init }));

afterEach(() => {
  load.mockClear();
  sessionStorage.clear();
});

describe('createInspectorLauncher', () => {
  it('loads the panel on first open only, and it shows what was recorded before', async () => {
    const bus = createPubSub({ app: 'shell' });
    const element = document.createElement('aside');
    const launcher = createInspectorLauncher({ bus, element, load });
    bus.publish('orders.placed', { id: 1 });
    await bus.flush();
    expect(load).not.toHaveBeenCalled();

    const seen: boolean[] = [];
    launcher.onToggle((open) => seen.push(open));
    await launcher.open();
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    expect(rows(element, 'message-row').map((row) => row.getAttribute('data-topic'))).toEqual(['orders.placed']);
    expect(element.hidden).toBe(false);
    launcher.close();
    await launcher.open();
    expect(load).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([true, false, true]);
    launcher.dispose();
  });

  it('waits for the same load when opened twice at once, and stays closed if closed meanwhile', async () => {
    const bus = createPubSub({ app: 'shell' });
    const element = document.createElement('aside');
    const launcher = createInspectorLauncher({ bus, element, load });
    await Promise.all([launcher.open(), launcher.open()]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(element.querySelector('.sb-inspector')).not.toBeNull();
    launcher.close();
    const reopening = launcher.toggle();
    launcher.close();
    await reopening;
    expect(launcher.isOpen()).toBe(false);
    expect(element.hidden).toBe(true);
    launcher.dispose();
  });

  it(`toggles on ${DEFAULT_SHORTCUT} and on a shortcut of the shell's choice, and closes from the panel`, async () => {
    const bus = createPubSub({ app: 'shell' });
    const element = document.createElement('aside');
    const launcher = createInspectorLauncher({ bus, element, load });
    press({ code: 'KeyI', altKey: true, shiftKey: true });
    await vi.waitFor(() => expect(launcher.isOpen()).toBe(true));
    element.querySelector<HTMLElement>('button.close')!.click();
    expect(launcher.isOpen()).toBe(false);
    expect(element.hidden).toBe(true);
    launcher.dispose();

    const custom = createInspectorLauncher({
      bus,
      element: document.createElement('aside'),
      load,
      shortcut: 'Ctrl+Shift+K',
    });
    press({ code: 'KeyI', altKey: true, shiftKey: true });
    press({ code: 'KeyK', ctrlKey: true });
    expect(custom.isOpen()).toBe(false);
    press({ code: 'KeyK', ctrlKey: true, shiftKey: true });
    await vi.waitFor(() => expect(custom.isOpen()).toBe(true));
    custom.dispose();
  });

  it('reopens after a reload when asked to remember, and reports a panel that cannot load', async () => {
    const bus = createPubSub({ app: 'shell' });
    sessionStorage.setItem('demo.inspector', '1');
    const launcher = createInspectorLauncher({
      bus,
      element: document.createElement('aside'),
      load,
      rememberOpen: 'demo.inspector',
    });
    await vi.waitFor(() => expect(launcher.isOpen()).toBe(true));
    launcher.close();
    expect(sessionStorage.getItem('demo.inspector')).toBe('0');
    launcher.dispose();

    const onError = vi.fn();
    const failing = createInspectorLauncher({
      bus,
      element: document.createElement('aside'),
      load: () => Promise.reject(new Error('chunk failed')),
      onError,
      shortcut: false,
    });
    await failing.open();
    expect(failing.isOpen()).toBe(false);
    expect(onError).toHaveBeenCalledWith(new Error('chunk failed'));
    failing.dispose();
  });
});

describe('createRecorder', () => {
  it('keeps the last messages of each kind, in arrival order', async () => {
    const bus = createPubSub({ app: 'shell' });
    const recorder = createRecorder(bus, { limit: 2 });
    for (const topic of ['a.one', 'a.two', 'a.three']) bus.publish(topic, {});
    await bus.flush();
    expect(recorder.messages().map((m) => m.topic)).toEqual(['a.two', 'a.three']);
    recorder.dispose();
    expect(bus.stats().subscriptions).toBe(0);
  });
});

describe('parseShortcut', () => {
  it('reads modifiers and a key, and refuses what it cannot use', () => {
    expect(parseShortcut('Ctrl+Shift+K')).toEqual({ ctrl: true, alt: false, shift: true, meta: false, code: 'KeyK' });
    expect(parseShortcut('Cmd+1').code).toBe('Digit1');
    expect(parseShortcut('F2').code).toBe('F2');
    for (const bad of ['Shift+I', 'Hyper+I', 'Alt+']) {
      let error: unknown;
      try {
        parseShortcut(bad);
      } catch (caught) {
        error = caught;
      }
      expect(isInspectorError(error, 'INVALID_OPTION')).toBe(true);
    }
  });
});
