/**
 * Turns a clause's frame into commands for one device, using only the device's traits and attributes: what
 * "open" means for a lock or a curtain, which field a number sets, clamping absolute values to the device's range.
 * Each command carries an effect (with a Home Assistant intent id where one exists) for the reply.
 */
import { commandEffect, fieldsOf, type State, type TraitId } from '@steward/device-adapters';
import type { DeviceAction, DeviceView } from './contract.ts';
import type { Act } from './lexicon/types.ts';
import type { Frame } from './frame.ts';
import { ADJUST, STEP, fieldForAttr, fieldForUnit, hasField, optionsOf, primaryField, rangeOf } from './device-fields.ts';

export type IntentId =
  | 'HassTurnOn' | 'HassTurnOff' | 'HassToggle' | 'HassLightSet' | 'HassSetVolume' | 'HassSetVolumeRelative'
  | 'HassMediaPlayerMute' | 'HassMediaPlayerUnmute' | 'HassMediaUnpause' | 'HassMediaPause' | 'HassMediaStop'
  | 'HassMediaNext' | 'HassMediaPrevious' | 'HassClimateSetTemperature' | 'HassFanSetSpeed' | 'HassSetPosition'
  | 'HassVacuumStart' | 'HassVacuumReturnToBase' | 'HassVacuumPause' | 'HassLockLock' | 'HassLockUnlock'
  | 'StewardSetMode' | 'StewardSetInput' | 'StewardOpenApp' | 'StewardSetChannel' | 'StewardStartProgram'
  | 'StewardSelectProgram' | 'StewardPauseProgram' | 'StewardSetLevel' | 'StewardNavigate' | 'StewardCancelNavigation'
  | 'StewardSetChargeLimit' | 'StewardStartCharging' | 'StewardStopCharging' | 'StewardSetFridgeTemperature'
  | 'StewardAdjust' | 'StewardStopMoving';

export interface Effect {
  intent: IntentId;
  command: string;
  /** the field set or adjusted, when one is */
  field?: string;
  value?: unknown;
  delta?: number;
  /** an absolute value outside the device's range, and the range it was clamped to */
  clamp?: { asked: number; min: number; max: number };
  /** a colour or white name from the lexicon ("blue", "warm") */
  name?: string;
  /** a turnOn added because the command needs the device on; replies leave it unsaid */
  implicit?: boolean;
}

export type Refusal =
  | { kind: 'unsupported' }
  | { kind: 'option'; field: string; options: readonly string[] }
  | { kind: 'noDestination' }
  | { kind: 'colorOnlyWhite' };

/** `score`: how many parts of the clause the device used (an AC uses "22 degrees", a lamp does not) */
export type PlanResult = { ok: true; actions: DeviceAction[]; effects: Effect[]; score: number } | { ok: false; refusal: Refusal };

interface Step {
  command: string;
  params: Record<string, unknown>;
  effect: Omit<Effect, 'command'>;
  /** 0 power on, 1 values, 2 acts, 3 power off */
  phase: number;
}

const INTENT_OF_FIELD: Record<string, IntentId> = {
  brightness: 'HassLightSet', hue: 'HassLightSet', saturation: 'HassLightSet', colorTempK: 'HassLightSet',
  volume: 'HassSetVolume', targetC: 'HassClimateSetTemperature', fridgeC: 'StewardSetFridgeTemperature',
  freezerC: 'StewardSetFridgeTemperature', position: 'HassSetPosition', level: 'StewardSetLevel', channel: 'StewardSetChannel',
  chargeLimitPct: 'StewardSetChargeLimit', fanSpeed: 'HassFanSetSpeed', mode: 'StewardSetMode', input: 'StewardSetInput',
  app: 'StewardOpenApp', program: 'StewardSelectProgram',
};

/** The commands each spoken act stands for, tried per trait in order: the first trait the device has wins. */
type Handler = (d: DeviceView, s: State, f: Frame) => Step | undefined;
const cmd = (command: string, intent: IntentId, params: Record<string, unknown> = {}, phase = 2): Step => ({
  command, params, effect: { intent }, phase,
});
const midLevel = (d: DeviceView) => {
  const [lo, hi] = rangeOf(d, 'level') ?? [0, 3];
  return Math.ceil((lo + hi) / 2);
};
const H = {
  turnOn: () => cmd('turnOn', 'HassTurnOn', {}, 0),
  turnOff: () => cmd('turnOff', 'HassTurnOff', {}, 3),
  open: () => cmd('open', 'HassTurnOn'),
  close: () => cmd('close', 'HassTurnOff'),
  stopMoving: () => cmd('stopMoving', 'StewardStopMoving'),
  unlock: () => cmd('unlock', 'HassLockUnlock'),
  lock: () => cmd('lock', 'HassLockLock'),
  clean: () => cmd('startCleaning', 'HassVacuumStart'),
  pauseClean: () => cmd('pauseCleaning', 'HassVacuumPause'),
  dock: () => cmd('returnToDock', 'HassVacuumReturnToBase'),
  startProgram: () => cmd('startProgram', 'StewardStartProgram'),
  pauseProgram: () => cmd('pauseProgram', 'StewardPauseProgram'),
  cancelProgram: () => cmd('cancelProgram', 'StewardPauseProgram'),
  startCharging: () => cmd('startCharging', 'StewardStartCharging'),
  stopCharging: () => cmd('stopCharging', 'StewardStopCharging'),
  levelMid: (d: DeviceView) => ({ ...cmd('setLevel', 'StewardSetLevel', { level: midLevel(d) }), effect: { intent: 'StewardSetLevel' as const, field: 'level', value: midLevel(d) } }),
  levelOff: (d: DeviceView) => {
    const lo = rangeOf(d, 'level')?.[0] ?? 0;
    return { ...cmd('setLevel', 'StewardSetLevel', { level: lo }), effect: { intent: 'StewardSetLevel' as const, field: 'level', value: lo } };
  },
  play: () => cmd('play', 'HassMediaUnpause'),
  pause: () => cmd('pause', 'HassMediaPause'),
  stop: () => cmd('stop', 'HassMediaStop'),
  cancelNav: () => cmd('cancelNavigation', 'StewardCancelNavigation'),
  mute: () => cmd('mute', 'HassMediaPlayerMute'),
  unmute: () => cmd('unmute', 'HassMediaPlayerUnmute'),
  toggle: () => cmd('toggle', 'HassToggle'),
  channelUp: () => ({ ...cmd('adjustChannel', 'HassMediaNext', { delta: 1 }), effect: { intent: 'HassMediaNext' as const, field: 'channel', delta: 1 } }),
  channelDown: () => ({ ...cmd('adjustChannel', 'HassMediaPrevious', { delta: -1 }), effect: { intent: 'HassMediaPrevious' as const, field: 'channel', delta: -1 } }),
};
const navigate: Handler = (_d, _s, f) =>
  f.destination ? { ...cmd('navigateTo', 'StewardNavigate', { destination: f.destination }), effect: { intent: 'StewardNavigate', value: f.destination } } : undefined;

const ACTS: Partial<Record<Act, [TraitId, Handler][]>> = {
  on: [['position', H.open], ['vacuum', H.clean], ['program', H.startProgram], ['charging', H.startCharging], ['level', H.levelMid], ['onOff', H.turnOn], ['playback', H.play]],
  open: [['lock', H.unlock], ['position', H.open], ['onOff', H.turnOn], ['vacuum', H.clean], ['program', H.startProgram], ['level', H.levelMid], ['charging', H.startCharging], ['playback', H.play]],
  off: [['position', H.close], ['vacuum', H.dock], ['program', H.pauseProgram], ['charging', H.stopCharging], ['level', H.levelOff], ['onOff', H.turnOff], ['playback', H.pause], ['navigation', H.cancelNav]],
  close: [['lock', H.lock], ['position', H.close], ['onOff', H.turnOff], ['vacuum', H.dock], ['program', H.pauseProgram], ['level', H.levelOff], ['charging', H.stopCharging], ['playback', H.pause], ['navigation', H.cancelNav]],
  start: [['vacuum', H.clean], ['program', H.startProgram], ['charging', H.startCharging], ['onOff', H.turnOn], ['playback', H.play], ['position', H.open], ['level', H.levelMid]],
  stop: [['vacuum', H.pauseClean], ['program', H.pauseProgram], ['charging', H.stopCharging], ['playback', H.stop], ['position', H.stopMoving], ['navigation', H.cancelNav], ['onOff', H.turnOff], ['level', H.levelOff]],
  pause: [['playback', H.pause], ['vacuum', H.pauseClean], ['program', H.pauseProgram], ['charging', H.stopCharging], ['position', H.stopMoving]],
  play: [['playback', H.play], ['onOff', H.turnOn]],
  mute: [['volume', H.mute]],
  unmute: [['volume', H.unmute]],
  lock: [['lock', H.lock]],
  unlock: [['lock', H.unlock]],
  dock: [['vacuum', H.dock]],
  clean: [['vacuum', H.clean]],
  wash: [['program', H.startProgram]],
  charge: [['charging', H.startCharging]],
  navigate: [['navigation', navigate]],
  toggle: [['onOff', H.toggle]],
  next: [['channel', H.channelUp]],
  previous: [['channel', H.channelDown]],
  cancel: [['program', H.cancelProgram], ['navigation', H.cancelNav], ['charging', H.stopCharging], ['vacuum', H.dock]],
};

/** Commands that need the device on (HA's HassLightSet turns a light on, and so does opening an app). */
const NEEDS_ON = new Set(['setBrightness', 'adjustBrightness', 'setColor', 'setColorTemperature', 'adjustColorTemperature', 'openApp', 'setInput', 'setChannel', 'adjustChannel', 'play']);

/** The acts a clause asks of devices: explicit verbs, else the verb that came with a device word. */
export function effectiveActs(f: Frame): Act[] {
  const hard = f.acts.filter((a) => !a.soft && a.act !== 'set');
  const acts = hard.length ? hard.map((a) => a.act) : f.acts.filter((a) => a.soft).map((a) => a.act);
  if (f.onoff !== undefined && !acts.includes(f.onoff ? 'on' : 'off')) acts.push(f.onoff ? 'on' : 'off');
  return acts;
}

function fanLadder(d: DeviceView): readonly string[] {
  return optionsOf(d, 'fanSpeed').filter((s) => s !== 'auto');
}

class Builder {
  readonly steps: Step[] = [];
  /** parts of the clause this device used */
  readonly used = new Set<string>();
  refusal?: Refusal;
  constructor(readonly d: DeviceView, readonly state: State) {}

  add(step: Step): void {
    if (this.steps.some((s) => s.command === step.command && JSON.stringify(s.params) === JSON.stringify(step.params))) return;
    this.steps.push(step);
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
    const intent = INTENT_OF_FIELD[field] ?? 'StewardAdjust';
    this.add({ ...call, phase: 1, effect: { intent, field, value, ...(clamp ? { clamp } : {}), ...extra } });
  }

  /** Moves a field by a signed amount: the device clamps at its end stops. */
  adjust(field: string, delta: number): void {
    if (field === 'fanSpeed') {
      const step = Math.sign(delta) * Math.max(1, Math.round(Math.abs(delta)));
      this.add({ command: 'adjustFanSpeed', params: { delta: step }, phase: 1, effect: { intent: 'HassFanSetSpeed', field, delta: step } });
      return;
    }
    const command = ADJUST[field];
    if (command) {
      const intent: IntentId = field === 'volume' ? 'HassSetVolumeRelative' : INTENT_OF_FIELD[field] ?? 'StewardAdjust';
      const d = field === 'level' || field === 'channel' ? Math.round(delta) || Math.sign(delta) : delta;
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

function effectFields(d: DeviceView, state: State, s: { command: string; params: Record<string, unknown> }): string[] {
  try {
    return Object.keys(commandEffect(d, state, s.command, s.params));
  } catch {
    return [];
  }
}

function planValues(b: Builder, f: Frame, acts: readonly Act[]): void {
  const d = b.d;
  for (const [i, group] of f.values.entries()) {
    const pick = group.find((v) => optionsOf(d, v.field).includes(v.id));
    if (pick) b.used.add(`v${i}`);
    if (!pick) {
      const field = group.find((v) => hasField(d, v.field))?.field ?? (f.attrs.includes('mode') && hasField(d, 'mode') ? 'mode' : undefined);
      if (field && !f.whites.length && !f.colors.length) b.refusal = { kind: 'option', field, options: optionsOf(d, field) };
      continue;
    }
    if (pick.field === 'program') {
      const starts = acts.some((a) => a === 'start' || a === 'on' || a === 'open' || a === 'wash' || a === 'play');
      if (starts) {
        b.add({ command: 'startProgram', params: { program: pick.id }, phase: 2, effect: { intent: 'StewardStartProgram', field: 'program', value: pick.id } });
      } else b.set('program', pick.id);
      continue;
    }
    b.set(pick.field, pick.id);
    if (pick.field === 'fanSpeed' && d.type === 'fan') b.add({ ...H.turnOn(), effect: { intent: 'HassTurnOn', implicit: true } });
  }
}

function planColours(b: Builder, f: Frame): void {
  const d = b.d;
  const before = b.steps.length;
  for (const c of f.colors) {
    if (hasField(d, 'hue')) {
      const params = c.saturation === 0 ? { saturation: 0 } : { hue: c.hue, saturation: c.saturation };
      b.add({ command: 'setColor', params, phase: 1, effect: { intent: 'HassLightSet', field: 'hue', name: c.name } });
    } else if (hasField(d, 'colorTempK')) {
      if (c.saturation === 0) b.set('colorTempK', 4000, { name: c.name });
      else b.refusal = { kind: 'colorOnlyWhite' };
    }
  }
  for (const w of f.whites) {
    if (hasField(d, 'colorTempK')) {
      const [lo, hi] = rangeOf(d, 'colorTempK') ?? [2700, 6500];
      b.set('colorTempK', Math.min(hi, Math.max(lo, w.kelvin)), { name: w.name });
    } else if (hasField(d, 'hue')) {
      // a colour lamp shows white light as a pale tint
      const params = w.kelvin < 3500 ? { hue: 35, saturation: 45 } : w.kelvin < 5000 ? { saturation: 5 } : { hue: 210, saturation: 15 };
      b.add({ command: 'setColor', params, phase: 1, effect: { intent: 'HassLightSet', field: 'hue', name: w.name } });
    }
  }
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

const NUMERIC_ATTRS: ReadonlySet<string> = new Set([
  'brightness', 'volume', 'temperature', 'fridge', 'freezer', 'channel', 'position', 'level', 'colorTemp', 'chargeLimit', 'battery',
]);

function planNumbers(b: Builder, f: Frame, acts: readonly Act[]): void {
  const d = b.d;
  const relative = f.dirs.length > 0 && (!f.setTo || f.by);
  // "freezer to -20": a named attribute the device lacks means the number is not for this device
  const numericAttrs = f.attrs.filter((a) => NUMERIC_ATTRS.has(a));
  if (numericAttrs.length && !numericAttrs.some((a) => fieldForAttr(d, a))) return;
  for (const [i, n] of f.nums.entries()) {
    let field = (n.unit ? fieldForUnit(b.d, n.unit, n.value) : undefined) ?? namedField(d, f, n.value);
    if (n.unit && namedField(d, f, n.value)) field = namedField(d, f, n.value);
    if (!field && acts.includes('charge') && hasField(d, 'chargeLimitPct')) field = 'chargeLimitPct';
    if (!field && !n.unit) field = dirField(d, f) ?? primaryField(d, n.value);
    if (!field && n.unit === 'percent') field = primaryField(d, n.value);
    if (!field || fieldsOf(d)[field]?.readOnly) continue;
    b.used.add(`n${i}`);
    if (field === 'fanSpeed') {
      const ladder = fanLadder(d);
      if (relative) b.adjust('fanSpeed', f.dirs[0]!.sign * n.value);
      else {
        const idx = n.unit === 'percent' ? Math.ceil((n.value / 100) * ladder.length) : Math.round(n.value);
        const pick = ladder[Math.min(ladder.length, Math.max(1, idx)) - 1];
        if (pick) b.set('fanSpeed', pick);
      }
      continue;
    }
    if (field === 'hue') {
      b.add({ command: 'setColor', params: { hue: n.value }, phase: 1, effect: { intent: 'HassLightSet', field: 'hue', value: n.value } });
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
  if (dir.attr === 'temperature' && !hasField(d, 'targetC') && !hasField(d, 'fridgeC') && hasField(d, 'colorTempK')) return 'colorTempK';
  if (dir.attr) return fieldForAttr(d, dir.attr);
  return namedField(d, f) ?? primaryField(d);
}

function planDirections(b: Builder, f: Frame): void {
  if (f.nums.length || !f.dirs.length) return;
  const d = b.d;
  const dir = f.dirs[0]!;
  const field = dirField(d, f);
  if (!field) return;
  if (f.extreme) return;
  b.used.add('dir');
  // "raise the blinds", "lower the curtains": all the way, unless "a bit"
  if (field === 'position' && !dir.attr && !f.amount && !namedField(d, f)) {
    b.set('position', dir.sign > 0 ? 100 : 0);
    return;
  }
  // warmer light is lower kelvin
  const sign = field === 'colorTempK' && dir.attr === 'temperature' ? -dir.sign : dir.sign;
  const step = (STEP[field] ?? 1) * (f.amount === 'lot' ? 2 : 1);
  b.adjust(field, sign * step);
}

function planExtreme(b: Builder, f: Frame): void {
  if (!f.extreme) return;
  const d = b.d;
  const field = (f.dirs[0] ? dirField(d, f) : undefined) ?? namedField(d, f) ?? primaryField(d);
  if (!field) return;
  if (field === 'fanSpeed') {
    const ladder = fanLadder(d);
    const pick = f.extreme === 'max' ? ladder[ladder.length - 1] : ladder[0];
    if (pick) b.set('fanSpeed', pick);
    b.used.add('extreme');
    return;
  }
  const range = rangeOf(d, field);
  if (range) {
    b.set(field, f.extreme === 'max' ? range[1] : range[0]);
    b.used.add('extreme');
  }
}

function planActs(b: Builder, f: Frame, acts: readonly Act[]): void {
  const d = b.d;
  const traits = new Set<TraitId>(d.traits);
  const touched = b.touched();
  for (const act of acts) {
    const handlers = ACTS[act];
    if (!handlers) continue;
    for (const [trait, h] of handlers) {
      if (!traits.has(trait)) continue;
      const step = h(d, b.state, f);
      if (!step) {
        if (act === 'navigate') b.refusal = { kind: 'noDestination' };
        break;
      }
      // a more specific value already covers this field ("open the curtains to 30 %", "turn on the seat heater to max")
      const fields = effectFields(d, b.state, step);
      if (step.command !== 'turnOn' && step.command !== 'turnOff' && fields.length && fields.every((k) => touched.has(k))) break;
      // "open the curtains a bit": a small move, not all the way
      if ((step.command === 'open' || step.command === 'close') && f.amount && !f.nums.length) {
        b.adjust('position', (step.command === 'open' ? 1 : -1) * (STEP.position ?? 20) * (f.amount === 'lot' ? 2 : 1));
        b.used.add(`a:${act}`);
        break;
      }
      b.add(step);
      b.used.add(`a:${act}`);
      break;
    }
  }
}

export function planDevice(d: DeviceView, state: State, f: Frame): PlanResult {
  const b = new Builder(d, state);
  const acts = effectiveActs(f);
  planValues(b, f, acts);
  planColours(b, f);
  planNumbers(b, f, acts);
  planDirections(b, f);
  planExtreme(b, f);
  planActs(b, f, acts);
  if (!b.steps.length) return { ok: false, refusal: b.refusal ?? { kind: 'unsupported' } };
  const turningOff = b.steps.some((s) => s.command === 'turnOff');
  const needsOn = b.steps.some((s) => NEEDS_ON.has(s.command));
  if (needsOn && !turningOff && traitsHave(d, 'onOff') && state.on !== true && !b.steps.some((s) => s.command === 'turnOn')) {
    b.steps.push({ ...H.turnOn(), effect: { intent: 'HassTurnOn', implicit: true } });
  }
  const steps = [...b.steps].sort((x, y) => x.phase - y.phase);
  return {
    ok: true,
    actions: steps.map((s) => ({ deviceId: d.id, command: s.command, params: s.params })),
    effects: steps.map((s) => ({ ...s.effect, command: s.command })),
    score: b.used.size,
  };
}

const traitsHave = (d: DeviceView, t: TraitId) => d.traits.includes(t);
