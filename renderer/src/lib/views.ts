// The studio's views in navigation order (Ctrl/Cmd+1..8).
export type ViewId = 'library' | 'generate' | 'mix' | 'sketch' | 'transfer' | 'invert' | 'train' | 'models';

export interface ViewInfo {
  id: ViewId;
  label: string;
  icon: string;
}

export const views: readonly ViewInfo[] = [
  { id: 'library', label: 'Library', icon: '▦' },
  { id: 'generate', label: 'Generate', icon: '✦' },
  { id: 'mix', label: 'Mix', icon: '◐' },
  { id: 'sketch', label: 'Sketch', icon: '✎' },
  { id: 'transfer', label: 'Transfer', icon: '⇄' },
  { id: 'invert', label: 'Invert', icon: '⟲' },
  { id: 'train', label: 'Train', icon: '▲' },
  { id: 'models', label: 'Models', icon: '◈' },
];

type ShortcutKey = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** The view a Ctrl/Cmd+digit press switches to, or null. Reads `code` too: on AZERTY, Ctrl+1 has key '&'. */
export function viewForShortcut(event: ShortcutKey): ViewId | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return null;
  const digit = /^[1-9]$/.test(event.key) ? event.key : /^Digit([1-9])$/.exec(event.code)?.[1];
  return digit === undefined ? null : (views[Number(digit) - 1]?.id ?? null);
}
