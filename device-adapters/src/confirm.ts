/**
 * Which changes need the owner's "yes", in one place for the hub (which holds them as pending confirmations) and
 * the node agent (which refuses them unless the hub proves it sent them). A rule is about the state a command
 * produces, not its wording: "unlock" = `locked` becomes false; "open" = `position` rises above where it is.
 */
import { commandEffect, type DeviceShape } from './device.ts';
import type { ConfirmRule } from './home.ts';
import type { State, TraitSpec } from './trait.ts';
import { TRAITS } from './traits/index.ts';
import { deviceTypeSpec } from './device-types.ts';

/**
 * The rules every device of a type gets whatever the home says: a lock is never unlocked, a trunk or window never
 * opened, without a confirmation. The hub gives them to paired devices; the agent treats them as a floor.
 */
export function defaultConfirmRules(d: { type: string; traits: readonly string[] }): ConfirmRule[] {
  const rules: ConfirmRule[] = [];
  for (const t of d.traits) for (const r of (TRAITS as Record<string, TraitSpec>)[t]?.confirm ?? []) rules.push(r);
  // a type's rules hold only where the device has what they are about (an open rule needs a position)
  for (const r of deviceTypeSpec(d.type)?.confirm ?? []) if (d.traits.includes(CONFIRM_NEEDS[r])) rules.push(r);
  return [...new Set(rules)];
}

/** the trait whose state change a rule is about (`confirmRuleTriggered`) */
const CONFIRM_NEEDS: Record<ConfirmRule, string> = { unlock: 'lock', open: 'position' };

/** the defaults of the device's type joined with the rules the home gives it */
export function effectiveConfirmRules(d: { type: string; traits: readonly string[] }, homeRules: readonly ConfirmRule[] = []): ConfirmRule[] {
  return [...new Set([...defaultConfirmRules(d), ...homeRules])];
}

export function confirmRuleTriggered(rule: ConfirmRule, before: State, after: State): boolean {
  switch (rule) {
    case 'unlock':
      return after.locked === false && before.locked !== false;
    case 'open': {
      const from = typeof before.position === 'number' ? before.position : 0;
      return typeof after.position === 'number' && after.position > 0 && after.position > from;
    }
  }
}

/**
 * The state a command would leave and the rules it triggers. `after` is undefined when the device model refuses the
 * command: nothing would change, so nothing needs confirming (the device refuses it with the reason).
 */
export function confirmationCheck(
  device: DeviceShape,
  rules: readonly ConfirmRule[],
  before: State,
  command: string,
  params: unknown,
): { after: State | undefined; triggered: ConfirmRule[] } {
  if (rules.length === 0) return { after: undefined, triggered: [] };
  let after: State;
  try {
    after = { ...before, ...commandEffect(device, before, command, params) };
  } catch {
    return { after: undefined, triggered: [] };
  }
  return { after, triggered: rules.filter((r) => confirmRuleTriggered(r, before, after)) };
}
