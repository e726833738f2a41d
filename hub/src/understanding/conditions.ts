/**
 * Questions about sensed conditions, one device or many: "is the phone battery low", "is there any gas in the
 * kitchen", "are all motion sensors triggered", "which devices are connected", "how many batteries are charging",
 * 哪些传感器检测到烟雾. What a state means is the sensor field's declaration (`FieldSpec.states`: a low-battery flag
 * is `low` when true); the answer counts the devices from their live state.
 */
import { fieldsOf, type FieldSpec } from '@steward/device-adapters';
import { effectiveActs } from './plan.ts';
import type { DeviceView, HomeView } from './contract.ts';
import type { Compiled } from './compile.ts';
import type { Frame } from './frame.ts';
import type { Attr, Quantifier } from './lexicon/types.ts';
import type { Targets } from './targets.ts';
import type { Answer } from './replies/types.ts';

export interface ConditionResult {
  answers: Answer[];
  /** the devices asked about: what the conversation is now about */
  devices: string[];
}

/** a device's field that has the state asked (and, when one is named, the aspect) */
interface Sensed {
  device: DeviceView;
  field: string;
  /** the value that means the state */
  means: boolean;
  aspect?: string;
}

function conditionFields(d: DeviceView): [string, FieldSpec, Readonly<Record<string, boolean>>][] {
  const out: [string, FieldSpec, Readonly<Record<string, boolean>>][] = [];
  for (const [field, spec] of Object.entries(fieldsOf(d))) if (spec.states) out.push([field, spec, spec.states]);
  return out;
}

/** the field of `d` that answers `state` about one of `aspects` (any aspect when none is named) */
function sensedBy(d: DeviceView, state: string | undefined, aspects: readonly Attr[]): Sensed | undefined {
  for (const [field, spec, states] of conditionFields(d)) {
    const aspect = spec.aspects?.find((a) => aspects.includes(a as Attr));
    if (aspects.length && !aspect) continue;
    // no state said ("is there any gas"): the condition is detected
    const id = state ?? 'detected';
    const means = states[id];
    if (means === undefined) continue;
    return { device: d, field, means, ...(aspect ? { aspect } : {}) };
  }
  return undefined;
}

/** The states a question asks after: the state words said, else what its question word or switch word means. */
export function statesAsked(f: Frame): string[] {
  if (f.states.length) return f.states;
  // 锁了吗, 是上锁的吗: a question word that names the lock and its state
  if (f.qattrs.includes('lock') && f.askedIs !== undefined) return [f.askedIs ? 'locked' : 'unlocked'];
  // "are any CO sensors on": a sensor has no switch, so on is detected and off is clear
  const acts = effectiveActs(f);
  if (acts.includes('on') || f.onoff === true) return ['detected'];
  if (acts.includes('off') || f.onoff === false) return ['clear'];
  return [];
}

export function answerCondition(f: Frame, t: Targets, c: Compiled, view: HomeView, area: string | undefined): ConditionResult | undefined {
  const aspects = [...f.qattrs, ...f.attrs].filter((a) => a !== 'power');
  const said = statesAsked(f);
  if (!said.length && !aspects.length) return undefined;
  const sense = (pool: readonly DeviceView[], loose = false): Sensed[] => {
    for (const state of said.length ? said : [undefined]) {
      const out = pool.map((d) => sensedBy(d, state, aspects)).filter((x): x is Sensed => !!x);
      if (out.length) return out;
      // a state said with an aspect that names the device rather than the field ("the phone battery is charging")
      if (loose && state && aspects.length) {
        const loose = pool.map((d) => sensedBy(d, state, [])).filter((x): x is Sensed => !!x);
        if (loose.length) return loose;
      }
    }
    return [];
  };
  // the devices named, said by a word or in a place; else the speaker's room, then the home
  let sensed = t.devices.length ? sense(t.devices, t.how === 'named') : [];
  // nothing named that the home has ("are any batteries low", "is gas detected"): the sensors that sense it; a
  // switch word alone ("which lights are on") never reaches beyond the devices said; the conversation's devices
  // (`context`) were not said, so a new question reaches past them
  if (!sensed.length && (!t.devices.length || t.how === 'context') && !f.devs.length && (f.states.length || aspects.length)) {
    const places = f.areas.length ? f.areas : [];
    const inPlaces = places.length ? c.deviceList.filter((d) => places.includes(d.area)) : [];
    sensed = places.length ? sense(inPlaces) : [];
    if (!sensed.length && !places.length && area && !f.types.length) sensed = sense(c.deviceList.filter((d) => d.area === area));
    if (!sensed.length && !places.length) sensed = sense(c.deviceList);
  }
  if (!sensed.length) return undefined;
  // a device word said (sensors, batteries): only the kinds said, when some of them sense it
  const quant: Quantifier | undefined = f.quant ?? (f.all && f.question ? 'all' : f.which ? 'which' : undefined);
  const matching = sensed.filter((s) => view.state(s.device.id)?.[s.field] === s.means);
  const state = said[0] ?? 'detected';
  const aspect = sensed[0]!.aspect;
  const devices = sensed.map((s) => s.device.id);
  // one device asked about ("is there any smoke in the kitchen", 厨房有冇烟): its own state
  if ((!quant || quant === 'any') && sensed.length === 1) {
    const s = sensed[0]!;
    const v = view.state(s.device.id)?.[s.field];
    return { answers: [{ k: 'fields', device: s.device, fields: v === undefined ? [] : [[s.field, v]] }], devices };
  }
  const types = new Set(sensed.map((s) => s.device.type));
  return {
    answers: [{
      k: 'condition', quant: quant ?? 'which', state, ...(aspect ? { aspect } : {}), ...(types.size === 1 ? { type: sensed[0]!.device.type } : {}),
      devices: matching.map((s) => s.device), total: sensed.length,
    }],
    devices,
  };
}
