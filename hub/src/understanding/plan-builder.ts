/**
 * Collects one device's commands for a clause: absolute values through each field's own set command, clamped to
 * the field's range (the effect remembers the clamp for the reply), relative moves, and which parts of the clause
 * the device used (its score when several devices fit a word).
 */
import { deviceTypeSpec, fieldsOf, findCommand, type State } from '@steward/device-adapters';
import type { DeviceView } from './contract.ts';
import type { Effect, IntentId, Refusal, Step } from './effects.ts';
import { powerOnStep } from './acts.ts';
import { adjustCommand, optionsOf } from './device-fields.ts';

/** The steps of a field whose options run from low to high (`FieldSpec.ladder`: fan speeds without "auto"). */
export function ladderOf(d: DeviceView, field: string): readonly string[] | undefined {
  return fieldsOf(d)[field]?.ladder?.(d.attributes);
}

function sameParams(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

export class Builder {
  readonly steps: Step[] = [];
  /** parts of the clause this device used */
  readonly used = new Set<string>();
  refusal?: Refusal;
  constructor(readonly d: DeviceView, readonly state: State) {}

  add(step: Step): void {
    const same = this.steps.find((s) => s.command === step.command && sameParams(s.params, step.params));
    if (!same) this.steps.push(step);
    // an explicit "turn on" is said in the reply even when a speed already implied it
    else if (same.effect.implicit && !step.effect.implicit) same.effect = step.effect;
  }

  /** Sets a field to an absolute value through the field's own set command, clamped to its range. */
  set(field: string, asked: number | string, extra: Partial<Effect> = {}): void {
    const spec = fieldsOf(this.d)[field];
    if (!spec?.set || spec.readOnly) return;
    let value = asked;
    let clamp: Effect['clamp'];
    if (typeof asked === 'number') {
      const range = spec.range?.(this.d.attributes);
      if (range && (asked < range[0] || asked > range[1])) {
        value = Math.min(range[1], Math.max(range[0], asked));
        clamp = { asked, min: range[0], max: range[1] };
      }
      if (spec.datatype === 'integer') value = Math.round(value as number);
    }
    const call = spec.set(value);
    const intent = (spec.intent ?? 'StewardAdjust') as IntentId;
    this.add({ ...call, phase: 1, effect: { intent, field, value, ...(clamp ? { clamp } : {}), ...extra } });
    // a fan's speed is what it does: "油烟机调到最大", "range hood on medium" runs it (`DeviceTypeSpec.runsBy`)
    const on = deviceTypeSpec(this.d.type)?.runsBy?.includes(field) ? powerOnStep(this.d, true) : undefined;
    if (on) this.add(on);
  }

  /** Moves a field by a signed amount: the device clamps at its end stops. */
  adjust(field: string, delta: number): void {
    const spec = fieldsOf(this.d)[field];
    const ladder = ladderOf(this.d, field);
    const command = adjustCommand(field);
    if (ladder && command) {
      if (!ladder.includes(String(this.state[field]))) {
        // from "auto" there is no step: lower means the lowest speed, higher the highest
        const pick = delta > 0 ? ladder[ladder.length - 1] : ladder[0];
        if (pick) this.set(field, pick);
        return;
      }
      const step = Math.sign(delta) * Math.max(1, Math.round(Math.abs(delta)));
      this.add({ command, params: { delta: step }, phase: 1, effect: { intent: (spec?.intent ?? 'StewardAdjust') as IntentId, field, delta: step } });
      return;
    }
    if (command) {
      const intent = (spec?.adjustIntent ?? spec?.intent ?? 'StewardAdjust') as IntentId;
      const d = spec?.wholeSteps ? Math.round(delta) || Math.sign(delta) : delta;
      this.add({ command, params: { delta: d }, phase: 1, effect: { intent, field, delta: d } });
      return;
    }
    const cur = this.state[field];
    if (typeof cur === 'number') this.set(field, cur + delta);
  }

  touched(): Set<string> {
    const out = new Set<string>();
    for (const s of this.steps) for (const k of effectFields(this.d, this.state, s)) out.add(k);
    return out;
  }
}

/** The fields a command would set. Our own params need no validation here; the device validates on execution. */
export function effectFields(d: DeviceView, state: State, s: { command: string; params: Record<string, unknown> }): string[] {
  try {
    return Object.keys(findCommand(d, s.command).spec.effect({ params: s.params, state, attributes: d.attributes }));
  } catch {
    return [];
  }
}

