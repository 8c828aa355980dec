export { createInspectorLauncher } from './launcher.ts';
export { createRecorder } from './recorder.ts';
export { DEFAULT_SHORTCUT, matchesShortcut, parseShortcut } from './shortcut.ts';

export type { InspectorLauncher, InspectorLauncherOptions } from './launcher.ts';
export type { Recorder, RecorderOptions } from './recorder.ts';
export type { Shortcut } from './shortcut.ts';
