/** A device's main values as short text ("35 %", "24 °C", "cleaning"), from its fields' units and types. */
import type { Lang, Translate } from './i18n.ts';
import type { FieldControl, Value } from './types.ts';

const BOOLEAN_WORDS: Record<string, ['on' | 'locked' | 'running' | 'yes', 'off' | 'unlocked' | 'stopped' | 'no']> = {
  on: ['on', 'off'],
  locked: ['locked', 'unlocked'],
  running: ['running', 'stopped'],
};

export function formatValue(field: string, value: Value | undefined, control: FieldControl | undefined, t: Translate, lang: Lang): string {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'boolean') {
    const words = BOOLEAN_WORDS[field] ?? ['yes', 'no'];
    return t(value ? words[0] : words[1]);
  }
  if (typeof value === 'number') {
    const n = Number.isInteger(value) ? String(value) : value.toFixed(1);
    return control?.unit ? `${n} ${control.unit}` : n;
  }
  return optionText(control, value, lang);
}

/** an option in the page's language where the hub's vocabulary has a word for it ("cool" → 制冷), else as the device says it */
export const optionText = (control: FieldControl | undefined, option: string, lang: Lang): string => control?.optionWords?.[lang]?.[option] ?? option;
