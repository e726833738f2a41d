/**
 * From frames to clauses: confirmation words, scenes, questions, then commands. Clauses without a target use
 * the previous clause's devices, then the conversation's; clauses without a verb take the previous clause's
 * ("turn on the TV and the kitchen light").
 */
import { deviceTypeSpec, findCommand, needsServed, type Need } from '@steward/device-adapters';
import { OWN_TRAITS, isAtWork, powerOf, typeServes } from './acts.ts';
import type { DeviceView, Clause, HomeView, DeviceAction } from './contract.ts';
import type { Compiled } from './compile.ts';
import type { Frame } from './frame.ts';
import { effectiveActs, planDevice, type PlanResult, type Effect } from './plan.ts';
import type { Refusal } from './effects.ts';
import { resolveTargets, type Targets } from './targets.ts';
import { answerQuery } from './query.ts';
import { answerCondition } from './conditions.ts';
import { sceneActions } from './scene.ts';
import type { DeviceEffects } from './replies/index.ts';
import type { Language } from './languages/types.ts';
import { alsoFieldFor, fieldForAttr, nameOf } from './device-fields.ts';

export interface Turn {
  c: Compiled;
  view: HomeView;
  /** the language of the utterance: its replies and how it joins them */
  language: Language;
  area?: string;
  memory: readonly string[];
  /** devices the hub offered in its last question, for "the kitchen one" */
  asked?: readonly string[];
}

export interface ClauseResult {
  clause: Clause;
  /** devices this clause acted on or asked about */
  devices: string[];
  /** the clause asks which of these devices is meant */
  question?: string[];
  /** the clause asked for one of a device's options ("its fan speeds are low, medium, high") */
  options?: { device: string; field: string; options: string[] };
}

const hasTarget = (f: Frame) => f.devs.length > 0 || f.types.length > 0 || f.areas.length > 0 || f.pron || f.all || !!f.unknownName || f.typeHints.length > 0;
export const hasWhat = (f: Frame) =>
  f.acts.length > 0 || f.values.length > 0 || f.nums.length > 0 || f.dirs.length > 0 || f.colors.length > 0 || f.whites.length > 0 ||
  !!f.extreme || f.onoff !== undefined || f.question || f.scenes.length > 0 || f.qattrs.length > 0 || f.attrs.length > 0;

/** "turn on the TV and the kitchen light": the second clause borrows the first one's verb and values. */
export function inherit(f: Frame, prev: Frame | undefined): void {
  if (!prev) return;
  if (hasTarget(f) && !hasWhat(f)) {
    f.acts = prev.acts.map((a) => ({ ...a }));
    f.onoff = prev.onoff;
    f.values = prev.values;
    f.nums = prev.nums;
    f.dirs = prev.dirs;
    f.colors = prev.colors;
    f.whites = prev.whites;
    f.extreme = prev.extreme;
    f.attrs = prev.attrs;
    f.setTo = prev.setTo;
    f.amount = prev.amount;
    f.question = prev.question;
    f.qattrs = prev.qattrs;
    f.which = prev.which;
    // "in 10 minutes turn on the TV and the floor lamp": the borrowed command keeps its time
    if (f.delayMs === undefined && prev.delayMs !== undefined) f.delayMs = prev.delayMs;
  }
  // "the lights in the kitchen and the living room"
  if (f.areas.length && !f.devs.length && !f.types.length && prev.types.length) f.types = prev.types;
  if (f.delayMs === undefined && prev.delayMs !== undefined && !hasTarget(f) && hasWhat(f)) f.delayMs = prev.delayMs;
}

/** What a clause asks, without its targets: a later turn that names only a target borrows it ("落地灯也是"). */
export type What = Pick<
  Frame,
  'acts' | 'onoff' | 'values' | 'nums' | 'dirs' | 'colors' | 'whites' | 'extreme' | 'attrs' | 'setTo' | 'amount' | 'question' | 'qattrs' | 'which'
>;

export function whatOf(f: Frame): What | undefined {
  if (!hasWhat(f) || f.scenes.length) return undefined;
  const { acts, onoff, values, nums, dirs, colors, whites, extreme, attrs, setTo, amount, question, qattrs, which } = f;
  return { acts, onoff, values, nums, dirs, colors, whites, extreme, attrs, setTo, amount, question, qattrs, which };
}

function isQuery(f: Frame): boolean {
  const acts = effectiveActs(f);
  const doing = f.values.length > 0 || f.nums.length > 0 || f.colors.length > 0 || f.whites.length > 0 || !!f.extreme || f.dirs.length > 0;
  if (f.question) return !(f.polite && (acts.length > 0 || doing));
  // "can you turn my lights on?": a polite request with a switch word is a command, whatever its question mark
  if (f.questionMark) return !doing && !(f.polite && f.onoff !== undefined) && f.acts.every((a) => a.soft || a.act === 'set');
  // "bedroom temperature", "车的电量"; "现在温度", "current temperature": a bare attribute asks about where one is
  return !acts.length && !doing && (f.attrs.length > 0 || f.qattrs.length > 0) && (hasTarget(f) || !f.gaps.length);
}

/** whether the device has a trait whose own act this is (`ActBinding.own`), or the act is no trait's own */
const hasOwn = (d: DeviceView, act: string): boolean => {
  const own = OWN_TRAITS[act];
  return !own || own.some((t) => (d.traits as readonly string[]).includes(t));
};

/** whether the device does an act said as one of its own, or one of the other acts the same words name ("go back") */
const ownsSaid = (d: DeviceView, f: Frame, act: string): boolean => {
  const slot = f.acts.find((s) => s.act === act || s.alts?.includes(act as never));
  return [slot?.act ?? act, ...(slot?.alts ?? [])].some((x) => hasOwn(d, x));
};

/** A cheap test before planning every device of the home: does it have what the clause names? */
function couldDo(d: DeviceView, f: Frame): boolean {
  if (f.typeHints.length && !f.typeHints.includes(d.type)) return false;
  for (const a of f.attrs) if (!fieldForAttr(d, a) && a !== 'mode' && a !== 'program') return false;
  for (const dir of f.dirs) {
    if (!dir.attr || fieldForAttr(d, dir.attr)) continue;
    if (alsoFieldFor(d, dir.attr)) continue;
    // a light that only switches gets brighter by coming on
    if (dir.attr === 'brightness' && dir.sign > 0 && typeServes(d, 'light')) continue;
    return false;
  }
  for (const a of f.acts) if (a.act !== 'pause' && !ownsSaid(d, f, a.act)) return false;
  return true;
}

/** Attributes and trait-specific verbs narrow the whole home to the devices that can do them ("mute", "冷冻室..."). */
function isSpecific(f: Frame): boolean {
  const specific = new Set(['mute', 'unmute', 'dock', 'clean', 'wash', 'charge', 'navigate', 'lock', 'unlock', 'play', 'pause', 'next', 'previous']);
  return (
    f.attrs.length > 0 || f.values.length > 0 || f.colors.length > 0 || f.whites.length > 0 || f.typeHints.length > 0 ||
    f.dirs.some((d) => d.attr) || f.nums.some((n) => n.unit && n.unit !== 'percent') || f.acts.some((a) => specific.has(a.act))
  );
}

const isActive = (view: HomeView, d: DeviceView) => isAtWork(d, view.state(d.id));

interface Planned {
  device: DeviceView;
  result: PlanResult;
}

function planAll(devices: readonly DeviceView[], f: Frame, view: HomeView): Planned[] {
  const acts = effectiveActs(f);
  return devices.map((device) => ({ device, result: planDevice(device, view.state(device.id) ?? {}, f, acts) }));
}

/**
 * A need said without naming a device ("it's too hot", "太暗了"): the devices that serve it (declared on traits,
 * `needsServed`). A relative temperature or more light, with no device or device word named.
 */
function needOf(f: Frame): Need | undefined {
  if (f.devs.length || f.types.length || f.typeHints.length || f.nums.length) return undefined;
  const dir = f.dirs.find((d) => d.attr === 'temperature' || d.attr === 'brightness');
  if (!dir) return undefined;
  if (dir.attr === 'temperature') return dir.sign < 0 ? 'cool' : 'warm';
  return dir.sign > 0 ? 'light' : undefined;
}

function serving(ok: Planned[], need: Need | undefined): Planned[] {
  if (!need) return ok;
  const fit = ok.filter((p) => needsServed(p.device).includes(need));
  return fit.length ? fit : ok;
}

/** Among devices that could do it, the one meant: in the speaker's area, else the only one, else the active one. */
function narrow(ok: Planned[], t: Turn, need?: Need): Planned[] | undefined {
  if (ok.length <= 1) return ok;
  const local = ok.filter((p) => p.device.area === t.area);
  if (local.length === 1) return local;
  let pool = best(local.length ? local : ok);
  if (pool.length === 1) return pool;
  // "set the temperature to 22 degrees" with no device: the devices that take the value as said (a room's climate),
  // not one that would clamp it (a water heater from 35 °C)
  const fits = pool.filter((p) => p.result.ok && !p.result.effects.some((e) => e.clamp));
  if (fits.length === 1) return fits;
  if (fits.length) pool = fits;
  const active = pool.filter((p) => isActive(t.view, p.device));
  if (active.length === 1) return active;
  if (active.length) pool = active;
  // a generic word's usual device ("the AC") is not what a need means ("it's too hot")
  const defaults = need ? [] : pool.filter((p) => t.c.defaults.has(p.device.id));
  if (defaults.length === 1) return defaults;
  return undefined;
}

/** The devices that used the most of the clause ("cool the living room to 22 degrees" is the AC, not a lamp). */
function best(ok: Planned[]): Planned[] {
  const score = (p: Planned) => (p.result.ok ? p.result.score : 0);
  const top = Math.max(0, ...ok.map(score));
  return ok.filter((p) => score(p) === top);
}

function actClause(ok: Planned[], f: Frame, t: Turn, notes: string[]): ClauseResult {
  const R = t.language.replies;
  const actions: DeviceAction[] = [];
  const parts: DeviceEffects[] = [];
  for (const p of ok) {
    if (!p.result.ok) continue;
    actions.push(...p.result.actions);
    parts.push({ device: p.device, effects: p.result.effects });
  }
  const reply = [R.done(parts, f.delayMs), ...notes].join(t.language.joiner);
  const clause: Clause = { kind: 'act', actions, reply, ...(f.delayMs ? { delayMs: f.delayMs } : {}) };
  return { clause, devices: ok.map((p) => p.device.id) };
}

/** Whether a device's commands would change its state (unknown state counts as a change). */
function changes(p: Planned, view: HomeView): boolean {
  if (!p.result.ok) return false;
  const state = view.state(p.device.id);
  if (!state) return true;
  return p.result.actions.some((a) => {
    try {
      const patch = findCommand(p.device, a.command).spec.effect({ params: a.params, state, attributes: p.device.attributes });
      return Object.entries(patch).some(([k, v]) => state[k] !== v);
    } catch {
      return true;
    }
  });
}

const unknown = (reply: string): ClauseResult => ({ clause: { kind: 'unknown', reply }, devices: [] });

/** A refusal; one that lists a device's options asks which of them is meant. */
function refused(reply: string, device: DeviceView, r: Refusal): ClauseResult {
  const options = r.kind === 'option' && r.options.length ? { device: device.id, field: r.field, options: [...r.options] } : undefined;
  return { clause: { kind: 'unknown', reply }, devices: [device.id], ...(options ? { options } : {}) };
}

export function interpretFrame(f: Frame, t: Turn, previous: readonly string[] | undefined): ClauseResult {
  const R = t.language.replies;
  const { c, view } = t;
  // scenes: "good night", "activate movie mode"
  if (f.scenes.length && !f.devs.length && !f.types.length && !f.question) {
    const scene = c.scenes.get(f.scenes[0]!)!;
    const actions = sceneActions(scene, c);
    const sceneName = nameOf(scene.names, t.language.tag, scene.id);
    const clause: Clause = { kind: 'act', sceneId: scene.id, actions, reply: R.scene(sceneName, f.delayMs), ...(f.delayMs ? { delayMs: f.delayMs } : {}) };
    return { clause, devices: [] };
  }
  if (f.nodes.length && !f.devs.length && !f.types.length && !f.areas.length) {
    const names = c.nodes.get(f.nodes[0]!) ?? {};
    return unknown(R.nodeNotDevice(nameOf(names, t.language.tag, f.nodes[0]!)));
  }
  const targets: Targets = resolveTargets(f, c, {
    ...(t.area ? { area: t.area } : {}),
    ...(previous ? { previous } : {}),
    memory: t.memory,
    ...(t.asked ? { asked: t.asked } : {}),
  });
  if (isQuery(f)) {
    // a sensed condition ("are any batteries low", 哪些传感器检测到烟雾): the sensors that sense it answer
    const sensed = answerCondition(f, targets, c, view, t.area);
    if (sensed) return { clause: { kind: 'query', reply: R.answer(sensed.answers) }, devices: sensed.devices };
    // a kind the home has none of: say so, rather than answer for every device that has what is asked
    if (targets.noneInHome) return unknown(R.noneInHome(targets.noneInHome));
    const q = answerQuery(f, targets, c, view, t.area);
    if (q) return { clause: { kind: 'query', reply: R.answer(q.answers) }, devices: q.devices };
    if (targets.unknown) return unknown(R.unknownDevice(targets.unknown));
    return unknown(R.whichDevice());
  }
  if (targets.unknown) return unknown(R.unknownDevice(targets.unknown));
  if (targets.noneInHome) return unknown(R.noneInHome(targets.noneInHome));
  // "打开两个灯" with three there: say what there is and ask which, rather than act on another number of them
  if (targets.miscount) {
    const { count, devices } = targets.miscount;
    return { ...unknown(R.miscount(count, devices)), ...(devices.length > 1 && hasWhat(f) ? { question: devices.map((d) => d.id) } : {}) };
  }
  // "the kitchen one" said out of the blue: nothing to do, whatever the kitchen has
  if (f.one && !hasWhat(f)) return unknown(R.fragment(f.text));
  if (targets.noneInArea) return unknown(R.noneInArea(targets.noneInArea.type, targets.noneInArea.areas.map((a) => c.areas.get(a)!).filter(Boolean)));
  // "the kitchen one" with no question pending and no "too": a fragment moves nothing
  if (!hasWhat(f)) return unknown((hasTarget(f) || f.pick !== undefined) && f.text ? R.fragment(f.text) : R.notUnderstood());

  let planned = planAll(targets.devices, f, view);
  let ok = planned.filter((p) => p.result.ok);
  const notes: string[] = [];
  if (targets.how === 'named') {
    for (const p of planned) if (!p.result.ok) notes.push(R.refusal(p.device, p.result.refusal));
    if (!ok.length) {
      const only = planned.length === 1 ? planned[0]! : undefined;
      if (only && !only.result.ok) return refused(notes.join(t.language.joiner), only.device, only.result.refusal);
      return { clause: { kind: 'unknown', reply: notes.join(t.language.joiner) }, devices: planned.map((p) => p.device.id) };
    }
    return actClause(ok, f, t, notes);
  }
  if (targets.ambiguous || targets.how === 'context' || targets.how === 'none') {
    // "打开地暖": a word we do not know may be the device meant; do not put another device in its place
    if (!ok.length && targets.how === 'none' && f.gaps.length) return unknown(R.whichDevice());
    if (!ok.length && isSpecific(f)) {
      // nothing named fits: the devices of the home that can do it, preferring those that have what is named
      planned = planAll(c.deviceList.filter((d) => couldDo(d, f)), f, view);
      ok = serving(planned.filter((p) => p.result.ok), needOf(f));
      const named = ok.filter((p) => f.attrs.some((a) => fieldForAttr(p.device, a)) || f.typeHints.includes(p.device.type));
      if (named.length) ok = named;
    }
    if (targets.ambiguous || targets.how === 'none') {
      const one = narrow(ok, t, needOf(f));
      if (!one && ok.length > 1) return { ...unknown(R.ambiguous(ok.map((p) => p.device))), question: ok.map((p) => p.device.id) };
      if (!one) return unknown(R.whichDevice());
      ok = one;
    }
    if (!ok.length) {
      const refusedOne = planned.find((p) => !p.result.ok && p.result.refusal.kind !== 'unsupported');
      if (refusedOne && !refusedOne.result.ok) return refused(R.refusal(refusedOne.device, refusedOne.result.refusal), refusedOne.device, refusedOne.result.refusal);
      return unknown(targets.devices.length === 1 ? R.refusal(targets.devices[0]!, { kind: 'unsupported' }) : R.whichDevice());
    }
    return actClause(ok, f, t, notes);
  }
  // a device word or an area: every device it covers that can do it
  if (targets.how === 'area') ok = best(serving(ok, needOf(f)));
  if (targets.how === 'area') {
    // "play some music in the car": a verb of one trait means the devices that have it, not a power switch nearby
    const acts = effectiveActs(f);
    const native = ok.filter((p) => acts.every((a) => ownsSaid(p.device, f, a)));
    if (native.length) ok = native;
  }
  if (targets.how === 'area' && !f.all) {
    // "turn on the kitchen": its lights when it has some (`DeviceTypeSpec.roomSwitch`)
    const lights = ok.filter((p) => deviceTypeSpec(p.device.type)?.roomSwitch);
    const acts = effectiveActs(f);
    const plain = !f.attrs.length && !f.typeHints.length && !f.values.length;
    if (lights.length && plain && acts.length && acts.every((a) => a === 'on' || a === 'off' || a === 'open' || a === 'close')) ok = lights;
  }
  if (targets.how === 'area' && effectiveActs(f).every((a) => a === 'on' || a === 'off')) {
    // "everything off" is power: it does not start or pause appliance programs
    const powered = ok.filter((p) => !!powerOf(p.device));
    if (powered.length) ok = powered;
    // a typed verb ("charge the car", "clean the living room") means its kind of device
    const typed = ok.filter((p) => f.typeHints.includes(p.device.type));
    if (typed.length) ok = typed;
  }
  // "dim the lights": a relative change over many devices is for those that are on
  if (ok.length > 1 && f.dirs.length && !f.nums.length) {
    const running = ok.filter((p) => view.state(p.device.id)?.on !== false);
    if (running.length) ok = running;
  }
  // "关灯" in the bedroom when its main light is already off: the light of that room that is still on
  const switchingOff = effectiveActs(f).some((a) => a === 'off' || a === 'close');
  if (targets.others && switchingOff && ok.length && !ok.some((p) => changes(p, view))) {
    const others = planAll(targets.others, f, view).filter((p) => p.result.ok && changes(p, view));
    if (others.length) ok = others;
  }
  // a command over many devices leaves out those already in the asked state ("turn off everything")
  if (ok.length > 1) {
    const changing = ok.filter((p) => changes(p, view));
    if (changing.length) ok = changing;
  }
  if (!ok.length) {
    const first = planned[0];
    if (first && !first.result.ok) return refused(R.refusal(first.device, first.result.refusal), first.device, first.result.refusal);
    return unknown(R.whichDevice());
  }
  return actClause(ok, f, t, notes);
}

export type { Effect };
