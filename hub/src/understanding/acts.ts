/**
 * What each spoken act means for each trait: "open" unlocks a lock and opens a curtain, "off" sends a vacuum to
 * its dock. The traits declare it (`TraitSpec.acts` in device-adapters); here it is gathered per act, tried in the
 * order of the bindings' ranks: the first trait the device has wins.
 */
import { TRAITS, deviceTypeSpec, fieldsOf, type ActBinding, type Need, type State, type TraitId, type TraitSpec } from '@steward/device-adapters';
import type { DeviceView } from './contract.ts';
import type { Act } from './lexicon/types.ts';
import type { Frame } from './frame.ts';
import type { IntentId, Step } from './effects.ts';

export type Handler = (d: DeviceView, s: State, f: Frame) => Step | undefined;

const SPECS = TRAITS as Record<TraitId, TraitSpec>;

function handler(b: ActBinding): Handler {
  return (d, _s, f) => {
    const params = b.params ? b.params({ attributes: d.attributes, ...(f.destination ? { destination: f.destination } : {}) }) : {};
    if (!params) return undefined;
    const e = b.effect;
    const effect: Step['effect'] = {
      intent: b.intent as IntentId,
      ...(e?.field ? { field: e.field } : {}),
      ...(e?.value ? { value: params[e.value] } : {}),
      ...(e?.delta ? { delta: params[e.delta] as number } : {}),
    };
    return { command: b.command, params, effect, phase: b.phase ?? 2 };
  };
}

/** The commands each spoken act stands for, per trait, in the order they are tried. */
export const ACTS: Partial<Record<Act, [TraitId, Handler][]>> = (() => {
  const out: Partial<Record<string, [TraitId, Handler, number][]>> = {};
  for (const [id, t] of Object.entries(SPECS) as [TraitId, TraitSpec][]) {
    for (const [act, b] of Object.entries(t.acts ?? {})) (out[act] ??= []).push([id, handler(b), b.rank]);
  }
  return Object.fromEntries(Object.entries(out).map(([act, hs]) => [act, hs!.sort((x, y) => x[2] - y[2]).map(([t, h]) => [t, h])]));
})();

/** The command an act stands for on this device (its first trait that takes the act), if any. */
export function commandOfAct(d: DeviceView, s: State, f: Frame, act: Act): string | undefined {
  for (const [trait, h] of ACTS[act] ?? []) if (d.traits.includes(trait)) return h(d, s, f)?.command;
  return undefined;
}

/** Acts that are some traits' own ("mute" is volume's, "dock" a robot's): naming one picks the devices that have one of them. */
export const OWN_TRAITS: Partial<Record<string, readonly string[]>> = (() => {
  const out: Record<string, string[]> = {};
  for (const [id, t] of Object.entries(SPECS)) for (const [act, b] of Object.entries(t.acts ?? {})) if (b.own) (out[act] ??= []).push(id);
  return out;
})();

/** Commands that need the device on (HA's HassLightSet turns a light on, and so does opening an app): `CommandSpec.turnsOn`. */
export const NEEDS_ON: ReadonlySet<string> = new Set(
  Object.values(SPECS).flatMap((t) => Object.entries(t.commands).filter(([, c]) => c.turnsOn).map(([name]) => name)),
);

/** The device's power switch, if it has one (`TraitSpec.power`). */
export function powerOf(d: DeviceView): { field: string; on: string; off: string } | undefined {
  for (const t of d.traits) if (SPECS[t].power) return SPECS[t].power;
  return undefined;
}

/** A step that switches the device on (an implied one is left unsaid in the reply). */
export function powerOnStep(d: DeviceView, implicit = false): Step | undefined {
  const p = powerOf(d);
  return p ? { command: p.on, params: {}, effect: { intent: 'HassTurnOn', ...(implicit ? { implicit } : {}) }, phase: 0 } : undefined;
}

export const isPowerCommand = (d: DeviceView, command: string): boolean => {
  const p = powerOf(d);
  return !!p && (command === p.on || command === p.off);
};

/** Whether the device is at work by what its traits say (`TraitSpec.active`: on, playing, cleaning, running). */
export function isAtWork(d: DeviceView, s: State | undefined): boolean {
  if (!s) return false;
  for (const t of d.traits) for (const [field, v] of Object.entries(SPECS[t].active ?? {})) if (s[field] === v) return true;
  return false;
}

/** A device of a type that serves a need whatever its traits (a light that only switches still gives light). */
export const typeServes = (d: DeviceView, need: Need): boolean => !!deviceTypeSpec(d.type)?.serves?.includes(need);

/** Whether a field moves over time (a curtain, a window): "open it a bit" is a small move of it. */
export const isGradual = (d: DeviceView, field: string): boolean => !!fieldsOf(d)[field]?.gradual;

const STOPPING: ReadonlySet<Act> = new Set(['stop', 'pause', 'off', 'cancel']);
const STARTING: ReadonlySet<Act> = new Set(['start', 'clean', 'wash', 'charge', 'play', 'on']);

/** The acts a clause asks of devices: explicit verbs, else the verb that came with a device word. */
export function effectiveActs(f: Frame): Act[] {
  const hard = f.acts.filter((a) => !a.soft && !a.weak && a.act !== 'set');
  const weak = f.acts.filter((a) => a.weak && a.act !== 'set');
  let acts = (hard.length ? hard : weak.length ? weak : f.acts.filter((a) => a.soft)).flatMap((a) => (a.alts ? [a.act, ...a.alts] : [a.act]));
  // "停止扫地", "stop charging": stopping wins over the activity it names
  if (acts.some((a) => STOPPING.has(a)) && acts.some((a) => STARTING.has(a))) acts = acts.filter((a) => !STARTING.has(a));
  if (f.onoff !== undefined && !acts.includes(f.onoff ? 'on' : 'off')) acts.push(f.onoff ? 'on' : 'off');
  // "电视声音关掉", "turn the sound off": switching the sound is muting, not switching the device
  if (f.attrs.includes('volume') && !f.nums.length && !f.dirs.length && !f.extreme) {
    acts = acts.map((a) => (a === 'off' || a === 'close' ? 'mute' : a === 'on' || a === 'open' ? 'unmute' : a));
  }
  return acts;
}


/** What undoes an act when it was said to last a while ("run the AC for two hours": off after them). */
export const UNDO: Partial<Record<Act, Act>> = {
  on: 'off', off: 'on', open: 'close', close: 'open', start: 'stop', stop: 'start', lock: 'unlock', unlock: 'lock', mute: 'unmute', unmute: 'mute',
  play: 'pause', pause: 'play',
};
