/**
 * Turns a clause's frame into commands for one device, using only the device's traits and attributes: which
 * field a number sets, relative steps, clamping absolute values to the device's range (and saying so), and what
 * each act means for the device's traits (acts.ts). Each command carries its effect for the reply.
 */
import { TRAITS, deviceTypeSpec, fieldsOf, findCommand, type ShownAs, type ShowsSpec, type State, type TraitSpec } from '@steward/device-adapters';
import type { DeviceView } from './contract.ts';
import type { Act } from './lexicon/types.ts';
import type { Frame } from './frame.ts';
import type { IntentId, PlanResult } from './effects.ts';
import { ACTS, NEEDS_ON, commandOfAct, effectiveActs, isGradual, isPowerCommand, powerOf, powerOnStep, typeServes } from './acts.ts';
import { NUMERIC_ASPECTS, adjustCommand, alsoFieldFor, readsAlso, fieldForAttr, fieldForUnit, hasField, optionsOf, primaryField, rangeOf, stepOf } from './device-fields.ts';
import { Builder, effectFields, ladderOf } from './plan-builder.ts';

export type { Effect, IntentId, PlanResult, Refusal } from './effects.ts';
export { effectiveActs } from './acts.ts';

function planValues(b: Builder, f: Frame, acts: readonly Act[]): void {
  const d = b.d;
  for (const [i, group] of f.values.entries()) {
    // "set the AC fan to auto": the attribute said picks the field of a word that several fields share
    // an option is the device's own id however it is written ("HDMI 4" is "hdmi4")
    const fits = group.flatMap((v) => {
      const own = optionsOf(d, v.field).find((o) => squashOption(o) === squashOption(v.id));
      return own === undefined ? [] : [{ field: v.field, id: own }];
    });
    const pick = fits.find((v) => (f.attrs as readonly string[]).includes(v.field)) ?? fits[0];
    if (pick) b.used.add(`v${i}`);
    if (!pick) {
      // "start the dishwasher on turbo": an option word for a field the device lacks, said to a device with one
      // field of options, is an option it has not got
      const own = OPTION_FIELDS.filter((x) => optionsOf(d, x).length);
      const field =
        group.find((v) => hasField(d, v.field))?.field ??
        (f.attrs.includes('mode') && hasField(d, 'mode') ? 'mode' : undefined) ??
        (own.length === 1 && !f.attrs.some((a) => a !== own[0]) ? own[0] : undefined);
      if (field && !f.whites.length && !f.colors.length) b.refusal = { kind: 'option', field, options: optionsOf(d, field) };
      continue;
    }
    // "start the dishwasher on eco": an option said with a verb that starts the device starts it with the option
    // (`FieldSpec.startsWith`)
    const start = fieldsOf(d)[pick.field]?.startsWith;
    if (start && acts.some((a) => commandOfAct(d, b.state, f, a) === start.command)) {
      b.add({ command: start.command, params: { [start.param]: pick.id }, phase: 2, effect: { intent: start.intent as IntentId, field: pick.field, value: pick.id } });
      continue;
    }
    b.set(pick.field, pick.id);
  }
}

const OPTION_FIELDS = ['mode', 'program', 'fanSpeed', 'input', 'app'] as const;
const squashOption = (id: string): string => id.toLowerCase().replace(/[\s_-]+/g, '');

/** The trait of the device that shows a colour (or a white) first (`TraitSpec.shows`), if any. */
function shower<K extends keyof ShowsSpec>(d: DeviceView, kind: K): NonNullable<ShowsSpec[K]> | undefined {
  let best: NonNullable<ShowsSpec[K]> | undefined;
  for (const t of d.traits) {
    const s = (TRAITS as Record<string, TraitSpec>)[t]?.shows?.[kind] as ShowsSpec[K];
    if (s && (!best || s.rank < best.rank)) best = s;
  }
  return best;
}

function show(b: Builder, to: ShownAs, name: string): void {
  if ('value' in to) b.set(to.field, to.value, { name });
  else {
    const intent = (fieldsOf(b.d)[to.field]?.intent ?? 'StewardAdjust') as IntentId;
    b.add({ command: to.command, params: to.params, phase: 1, effect: { intent, field: to.field, name } });
  }
}

function planColours(b: Builder, f: Frame): void {
  const d = b.d;
  const before = b.steps.length;
  const colour = f.colors.length ? shower(d, 'colour') : undefined;
  for (const c of f.colors) {
    const to = colour?.show({ hue: c.hue, saturation: c.saturation }, d.attributes);
    if (to === 'onlyWhite') b.refusal = { kind: 'colorOnlyWhite' };
    else if (to) show(b, to, c.name);
  }
  const white = f.whites.length ? shower(d, 'white') : undefined;
  for (const w of f.whites) if (white) show(b, white.show(w.kelvin, d.attributes), w.name);
  if (b.steps.length > before) b.used.add('colour');
}

/** The field a clause's attribute words name on this device. */
function namedField(d: DeviceView, f: Frame, value?: number): string | undefined {
  for (const a of f.attrs) {
    const field = fieldForAttr(d, a, value);
    if (field) return field;
  }
  return undefined;
}

function planNumbers(b: Builder, f: Frame, acts: readonly Act[]): void {
  const d = b.d;
  const relative = f.dirs.length > 0 && (!f.setTo || f.by);
  // "freezer to -20": a named attribute the device lacks means the number is not for this device
  const numericAttrs = f.attrs.filter((a) => NUMERIC_ASPECTS.has(a));
  if (numericAttrs.length && !numericAttrs.some((a) => fieldForAttr(d, a))) return;
  for (const [i, n] of f.nums.entries()) {
    let field = (n.unit ? fieldForUnit(b.d, n.unit, n.value) : undefined) ?? namedField(d, f, n.value);
    if (n.unit && namedField(d, f, n.value)) field = namedField(d, f, n.value);
    // "charge to 80": the field a number said with the act sets (`FieldSpec.numberWith`)
    if (!field) field = Object.entries(fieldsOf(d)).find(([, x]) => x.numberWith && (acts as readonly string[]).includes(x.numberWith))?.[0];
    if (!field && !n.unit) {
      // "cool the room down to 23": a number said with a direction of one attribute is a value of that attribute
      const dir = f.dirs[0];
      const byDir = dirField(d, f);
      field = byDir ?? (dir?.attr ? undefined : primaryField(d, n.value));
      if (byDir && dir?.attr && !readsAlso(d, byDir, dir.attr)) b.used.add('dir');
    }
    if (!field && n.unit === 'percent') field = primaryField(d, n.value);
    if (!field || fieldsOf(d)[field]?.readOnly) continue;
    b.used.add(`n${i}`);
    // "fan speed 2", "风速调到50%": a step of a ladder of named options
    const ladder = ladderOf(d, field);
    if (ladder) {
      if (relative) b.adjust(field, f.dirs[0]!.sign * n.value);
      else {
        const idx = n.unit === 'percent' ? Math.ceil((n.value / 100) * ladder.length) : Math.round(n.value);
        const pick = ladder[Math.min(ladder.length, Math.max(1, idx)) - 1];
        if (pick) b.set(field, pick);
      }
      continue;
    }
    if (relative) b.adjust(field, f.dirs[0]!.sign * Math.abs(n.value));
    else b.set(field, n.value);
  }
}

/** The field a direction word moves: its own attribute ("brighter"), a named one, or the device's main one. */
function dirField(d: DeviceView, f: Frame): string | undefined {
  const dir = f.dirs[0];
  if (!dir) return undefined;
  if (dir.attr) {
    // "warmer" to a light: a field that reads the aspect too, where the device has no writable one of its own
    const own = fieldForAttr(d, dir.attr);
    if (own && !fieldsOf(d)[own]?.readOnly) return own;
    return alsoFieldFor(d, dir.attr)?.field ?? own;
  }
  return namedField(d, f) ?? primaryField(d);
}

function planDirections(b: Builder, f: Frame): void {
  if (f.nums.length || !f.dirs.length) return;
  const d = b.d;
  const dir = f.dirs[0]!;
  const field = dirField(d, f);
  if (!field) {
    // "it's dark in here" by a light that only switches: brighter is on
    const on = powerOnStep(d);
    if (dir.attr === 'brightness' && dir.sign > 0 && typeServes(d, 'light') && on && b.state[powerOf(d)!.field] !== true) {
      b.add(on);
      b.used.add('dir');
    }
    return;
  }
  if (f.extreme) return;
  // "it's cold" to an AC that is cooling: raising its target would still cool, so it changes to its warming mode
  // ("it's hot" to one that is heating: its cooling mode); a device without that mode only moves its target.
  // Only a complaint (no verb): "make it warmer" asks for a higher target.
  const modes = dir.attr && fieldsOf(d)[field]?.aspects?.includes(dir.attr) ? fieldsOf(d)[field]?.modes : undefined;
  if (modes && !f.amount && !f.acts.length) {
    const [want, against] = dir.sign > 0 ? [modes.up, modes.down] : [modes.down, modes.up];
    if (b.state[modes.field] === against && optionsOf(d, modes.field).includes(want)) {
      b.set(modes.field, want);
      b.used.add('dir');
      return;
    }
  }
  // "too hot in the bedroom" is for the AC; a lamp's colour temperature is a weaker reading of "warmer"
  if (!readsAlso(d, field, dir.attr)) b.used.add('dir');
  // "raise the blinds", "lower the curtains": all the way, unless "a bit"; a window opens downwards
  // "lower the car windows", "车窗降下来": a window goes down to open, unlike a blind (`DeviceTypeSpec.opensDownwards`)
  const gradual = isGradual(d, field);
  const down = gradual && deviceTypeSpec(d.type)?.opensDownwards && !dir.attr ? -1 : 1;
  if (gradual && !dir.attr && !f.amount && !namedField(d, f)) {
    const [lo, hi] = rangeOf(d, field) ?? [0, 100];
    b.set(field, dir.sign * down > 0 ? hi : lo);
    return;
  }
  if (down < 0) {
    b.adjust(field, -dir.sign * stepOf(field) * (f.amount === 'lot' ? 2 : 1));
    return;
  }
  // warmer light is lower kelvin
  const sign = readsAlso(d, field, dir.attr) ? alsoFieldFor(d, dir.attr!)!.sign * dir.sign : dir.sign;
  const step = stepOf(field) * (f.amount === 'lot' ? 2 : 1);
  b.adjust(field, sign * step);
}

function planExtreme(b: Builder, f: Frame): void {
  if (!f.extreme) return;
  const d = b.d;
  const field = (f.dirs[0] ? dirField(d, f) : undefined) ?? namedField(d, f) ?? primaryField(d);
  if (!field) return;
  const ladder = ladderOf(d, field);
  if (ladder) {
    const pick = f.extreme === 'max' ? ladder[ladder.length - 1] : ladder[0];
    if (pick) b.set(field, pick);
    b.used.add('extreme');
    return;
  }
  const range = rangeOf(d, field);
  if (range) {
    // "dimmest": the lowest setting of a field that runs the device keeps it running (brightness 1 %, not 0)
    const low = range[0] === 0 && NEEDS_ON.has(adjustCommand(field) ?? '') ? 1 : range[0];
    b.set(field, f.extreme === 'max' ? range[1] : low);
    b.used.add('extreme');
  }
}

function planActs(b: Builder, f: Frame, acts: readonly Act[]): void {
  const d = b.d;
  const traits = d.traits;
  const touched = b.steps.length ? b.touched() : new Set<string>();
  for (const act of acts) {
    const handlers = ACTS[act];
    if (!handlers) continue;
    for (const [trait, h] of handlers) {
      if (!traits.includes(trait)) continue;
      const step = h(d, b.state, f);
      if (!step) {
        if (act === 'navigate') b.refusal = { kind: 'noDestination' };
        break;
      }
      // "put on channel 7", "play Netflix": playing is implied by the channel, the app or the input
      if (act === 'play' && b.steps.some((x) => x.phase === 1)) {
        b.used.add(`a:${act}`);
        break;
      }
      // a more specific value already covers this field ("open the curtains to 30 %", "turn on the seat heater to max")
      if (touched.size && !isPowerCommand(d, step.command)) {
        const fields = effectFields(d, b.state, step);
        if (fields.length && fields.every((k) => touched.has(k))) break;
      }
      // "open the curtains a bit": a small move, not all the way
      const small = f.amount && !f.nums.length ? smallMove(d, b.state, step) : undefined;
      if (small) {
        b.adjust(small.field, small.sign * stepOf(small.field) * (f.amount === 'lot' ? 2 : 1));
        b.used.add(`a:${act}`);
        break;
      }
      b.add(step);
      b.used.add(`a:${act}`);
      break;
    }
  }
}

export function planDevice(d: DeviceView, state: State, f: Frame, acts: readonly Act[] = effectiveActs(f)): PlanResult {
  const b = new Builder(d, state);
  planValues(b, f, acts);
  // an option the device lacks ("HDMI 4", a program it has not got) is refused, not replaced by the rest of the clause
  if (b.refusal?.kind === 'option') return { ok: false, refusal: b.refusal };
  planColours(b, f);
  planNumbers(b, f, acts);
  planDirections(b, f);
  planExtreme(b, f);
  planActs(b, f, acts);
  if (!b.steps.length) return { ok: false, refusal: b.refusal ?? { kind: 'unsupported' } };
  const power = powerOf(d);
  const turningOff = !!power && b.steps.some((s) => s.command === power.off);
  const needsOn = b.steps.some((s) => NEEDS_ON.has(s.command));
  if (power && needsOn && !turningOff && state[power.field] !== true && !b.steps.some((s) => s.command === power.on)) {
    b.steps.push(powerOnStep(d, true)!);
  }
  const steps = [...b.steps].sort((x, y) => x.phase - y.phase);
  return {
    ok: true,
    actions: steps.map((s) => ({ deviceId: d.id, command: s.command, params: s.params })),
    effects: steps.map((s) => ({ ...s.effect, command: s.command })),
    score: b.used.size,
  };
}

/** "open the curtains a bit": the gradual field a command would move all the way, and which way, for a small move instead. */
function smallMove(d: DeviceView, state: State, step: { command: string; params: Record<string, unknown> }): { field: string; sign: number } | undefined {
  let patch: State;
  try {
    patch = findCommand(d, step.command).spec.effect({ params: step.params, state, attributes: d.attributes });
  } catch {
    return undefined;
  }
  for (const [field, v] of Object.entries(patch)) {
    if (typeof v !== 'number' || !isGradual(d, field)) continue;
    const cur = typeof state[field] === 'number' ? (state[field] as number) : undefined;
    const [lo, hi] = rangeOf(d, field) ?? [0, 100];
    return { field, sign: cur !== undefined ? Math.sign(v - cur) || (v >= hi ? 1 : -1) : v > lo ? 1 : -1 };
  }
  return undefined;
}
