/** A device's main values as short text ("35 %", "24 °C", "cleaning"), from its fields' units and types. */
import type { Translate } from './i18n.ts';
import type { FieldControl, Value } from './types.ts';

const BOOLEAN_WORDS: Record<string, ['on' | 'locked' | 'running' | 'yes', 'off' | 'unlocked' | 'stopped' | 'no']> = {
  on: ['on', 'off'],
  locked: ['locked', 'unlocked'],
  running: ['running', 'stopped'],
};

export function formatValue(field: string, value: Value | undefined, control: FieldControl | undefined, t: Translate): string {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'boolean') {
    const words = BOOLEAN_WORDS[field] ?? ['yes', 'no'];
    return t(value ? words[0] : words[1]);
  }
  if (typeof value === 'number') {
    const n = Number.isInteger(value) ? String(value) : value.toFixed(1);
    return control?.unit ? `${n} ${control.unit}` : n;
  }
  return value;
}
