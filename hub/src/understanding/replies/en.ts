/** English replies. */
import { DEVICE_TYPES, fieldsOf, type Value } from '@steward/device-adapters';
import type { DeviceView } from '../contract.ts';
import type { Effect, Refusal } from '../effects.ts';
import { deviceName, nameOf, stateOfValue, unitOf } from '../device-fields.ts';
import { en as lexicon } from '../lexicon/en.ts';
import { durationParts, fmt, groupByEffects, type Answer, type DeviceEffects, type Replies } from './types.ts';

const name = (d: DeviceView) => deviceName(d, 'en');
const cap = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
const the = (d: DeviceView) => `the ${name(d)}`;

/** English device words that are plurals ("curtains", "windows", "doors"): of a word list that also has the singular */
const PLURAL_WORDS: ReadonlySet<string> = new Set(
  [...Object.values(lexicon.types), ...Object.values(DEVICE_TYPES).map((t) => t.words.en)].flatMap((list) => {
    const words: readonly string[] = list ?? [];
    return words.filter((w) => /s$/.test(w) && words.includes(w.replace(/e?s$/, ''))).map((w) => w.toLowerCase());
  }),
);
/** "The bedroom curtains are open": a name that ends in a plural device word takes a plural verb */
const isPlural = (d: DeviceView) => PLURAL_WORDS.has(name(d).toLowerCase().split(/\s+/).at(-1) ?? '');
const is = (d: DeviceView) => (isPlural(d) ? 'are' : 'is');
const isnt = (d: DeviceView) => (isPlural(d) ? "aren't" : "isn't");
const has = (d: DeviceView) => (isPlural(d) ? 'have' : 'has');

/** how a field's unit (`FieldSpec.unit`) is written after a number; a volume is said as a bare number */
const UNIT: Record<string, string> = { '%': ' %', '°C': ' °C', K: ' K', W: ' W', kWh: ' kWh', 'µg/m³': ' µg/m³' };
const FIELD_UNIT: Record<string, string> = { volume: '' };
const withUnit = (field: string, v: number) => {
  const u = unitOf(field) ?? '';
  return `${fmt(v)}${FIELD_UNIT[field] ?? UNIT[u] ?? (u ? ` ${u}` : '')}`;
};

/** what a sensor detects, by its field's aspect: "detecting carbon monoxide" */
const SENSED: Record<string, string> = {
  carbonMonoxide: 'carbon monoxide', gas: 'gas', noise: 'sound', smoke: 'smoke', leak: 'water', occupancy: 'someone', tamper: 'tampering',
  vibration: 'vibration', mains: 'power',
};
/** a sensed condition's state (device-adapters `FieldSpec.states` ids) as said after "is"/"are" */
const STATE_WORDS: Record<string, string> = {
  low: 'low on battery', normal: 'not low on battery', charged: 'charged', charging: 'charging', notCharging: 'not charging', cold: 'cold', hot: 'hot',
  connected: 'connected', disconnected: 'disconnected', unlocked: 'unlocked', locked: 'locked', pluggedIn: 'plugged in', unplugged: 'unplugged',
  powered: 'powered', unpowered: 'without power', home: 'home', away: 'away', problem: 'reporting a problem', ok: 'fine', running: 'running',
  stopped: 'not running', unsafe: 'unsafe', safe: 'safe', tampered: 'tampered with', available: 'available', upToDate: 'up to date',
  vibrating: 'vibrating', wet: 'wet', dry: 'dry', occupied: 'occupied',
};
function statePhrase(state: string, aspect: string | undefined): string {
  if (state === 'detected') return `detecting ${SENSED[aspect ?? ''] ?? 'something'}`;
  if (state === 'clear') return `not detecting ${SENSED[aspect ?? ''] ?? 'anything'}`;
  return STATE_WORDS[state] ?? state;
}

/** "hdmi2" -> "HDMI 2", "tencent video" -> "Tencent Video", "super_cool" -> "super cool" */
function option(field: string, id: string): string {
  if (field === 'input') return id.replace(/^hdmi(\d)$/, 'HDMI $1').replace(/^usb$/, 'USB').replace(/^tv$/, 'TV');
  if (field === 'app') return id.split(/[ _]/).map(cap).join(' ').replace('Youtube', 'YouTube');
  return id.replace(/_/g, ' ');
}

function delayText(ms: number): string {
  const { h, m, s } = durationParts(ms);
  const parts: string[] = [];
  if (h) parts.push(`${h} hour${h > 1 ? 's' : ''}`);
  if (m) parts.push(`${m} minute${m > 1 ? 's' : ''}`);
  if (s) parts.push(`${s} second${s > 1 ? 's' : ''}`);
  return parts.join(' and ') || 'a moment';
}

/** What an effect did, as a predicate after the device name ("on", "at 40 %"). */
function predicate(e: Effect): string | undefined {
  if (e.implicit) return undefined;
  const v = e.value;
  const up = (e.delta ?? 0) > 0;
  switch (e.command) {
    case 'turnOn': return 'on';
    case 'turnOff': return 'off';
    case 'toggle': return 'toggled';
    case 'open': return 'opening';
    case 'close': return 'closing';
    case 'stopMoving': return 'stopped';
    case 'setBrightness': return `at ${withUnit('brightness', v as number)}`;
    case 'adjustBrightness': return up ? 'brighter' : 'dimmer';
    case 'setColor': return e.name ? (e.name === 'warm' ? 'warm white' : e.name === 'cool' ? 'cool white' : e.name === 'neutral' ? 'natural white' : e.name) : `hue ${fmt(v as number)}`;
    case 'setColorTemperature': return e.name ? (e.name === 'warm' ? 'warm white' : e.name === 'cool' ? 'cool white' : e.name === 'neutral' ? 'natural white' : e.name) : `at ${withUnit('colorTempK', v as number)}`;
    case 'adjustColorTemperature': return up ? 'cooler' : 'warmer';
    case 'setVolume': return `volume ${fmt(v as number)}`;
    case 'adjustVolume': return up ? 'louder' : 'quieter';
    case 'mute': return 'muted';
    case 'unmute': return 'unmuted';
    case 'play': return 'playing';
    case 'pause': return 'paused';
    case 'stop': return 'stopped';
    case 'next': return 'on the next track';
    case 'previous': return 'back to the previous track';
    case 'setTargetTemperature': return `set to ${withUnit('targetC', v as number)}`;
    case 'adjustTargetTemperature': return `${up ? 'up' : 'down'} ${withUnit('targetC', Math.abs(e.delta ?? 1))}`;
    case 'setFridgeTemperature': return `at ${withUnit('fridgeC', v as number)}`;
    case 'adjustFridgeTemperature': return `fridge ${withUnit('fridgeC', Math.abs(e.delta ?? 1))} ${up ? 'warmer' : 'colder'}`;
    case 'setFreezerTemperature': return `freezer at ${withUnit('freezerC', v as number)}`;
    case 'adjustFreezerTemperature': return `freezer ${withUnit('freezerC', Math.abs(e.delta ?? 1))} ${up ? 'warmer' : 'colder'}`;
    case 'setPosition': return v === 0 ? 'closing' : v === 100 ? 'opening' : `opening to ${withUnit('position', v as number)}`;
    case 'adjustPosition': return up ? 'opening a bit more' : 'closing a bit';
    case 'setLevel': return v === 0 ? 'off' : `at level ${fmt(v as number)}`;
    case 'adjustLevel': return up ? 'up a level' : 'down a level';
    case 'setChannel': return `on channel ${fmt(v as number)}`;
    case 'adjustChannel': return up ? 'on the next channel' : 'on the previous channel';
    case 'setMode': return `in ${option('mode', String(v))} mode`;
    case 'setFridgeMode': return `in ${option('mode', String(v))} mode`;
    case 'setFanSpeed': return `fan speed ${option('fanSpeed', String(v))}`;
    case 'adjustFanSpeed': return up ? 'fan faster' : 'fan slower';
    case 'setInput': return `on ${option('input', String(v))}`;
    case 'openApp': return `opening ${option('app', String(v))}`;
    case 'closeApp': return 'app closed';
    case 'selectProgram': return `set to the ${option('program', String(v))} program`;
    case 'startProgram': return v ? `running the ${option('program', String(v))} program` : 'started';
    case 'pauseProgram': return 'paused';
    case 'cancelProgram': return 'cancelled';
    case 'startMowing': return 'starting to mow';
    case 'pauseMowing': return 'paused';
    case 'dockMower': return 'returning to its dock to charge';
    case 'selectMode': return `in ${option('mode', String(v))} mode`;
    case 'startCleaning': return 'starting to clean';
    case 'pauseCleaning': return 'paused';
    case 'returnToDock': return 'returning to its dock to charge';
    case 'lock': return 'locked';
    case 'unlock': return 'unlocked';
    case 'navigateTo': return `navigating to ${String(v)}`;
    case 'cancelNavigation': return 'cancelled';
    case 'setChargeLimit': return `charge limit ${withUnit('chargeLimitPct', v as number)}`;
    case 'startCharging': return 'charging';
    case 'stopCharging': return 'charging stopped';
    default: return e.command;
  }
}

function clampNote(d: DeviceView, e: Effect): string {
  const c = e.clamp!;
  const field = e.field ?? '';
  return `${cap(the(d))} goes from ${fmt(c.min)} to ${withUnit(field, c.max)}, so I set it to ${withUnit(field, e.value as number)}.`;
}

function typePlural(type: string): string {
  const words: readonly string[] = DEVICE_TYPES[type as keyof typeof DEVICE_TYPES]?.words.en ?? [];
  return words.find((w) => w.endsWith('s')) ?? `${words[0] ?? 'device'}s`;
}

function deviceSentence(group: DeviceView[], effects: Effect[]): string {
  const preds = effects.filter((e) => !e.clamp).map(predicate).filter((p): p is string => !!p);
  const notes = effects.filter((e) => e.clamp).map((e) => clampNote(group[0]!, e));
  let subject: string;
  if (group.length > 3) {
    const types = new Set(group.map((d) => d.type));
    subject = `${group.length} ${types.size === 1 ? typePlural(group[0]!.type) : 'devices'}`;
  } else subject = group.map(name).join(group.length === 2 ? ' and ' : ', ').replace(/, ([^,]*)$/, ' and $1');
  const nav = effects.find((e) => e.command === 'navigateTo');
  const main = nav ? `Navigating to ${String(nav.value)}.` : preds.length ? `${cap(subject)} ${preds.join(', ')}.` : '';
  return [main, ...notes].filter(Boolean).join(' ');
}

function fieldPhrase(field: string, v: Value, d: DeviceView): string | undefined {
  switch (field) {
    case 'on': return v ? 'on' : 'off';
    case 'locked': return v ? 'locked' : 'unlocked';
    case 'open': return v ? 'open' : 'closed';
    case 'position': return v === 0 ? 'closed' : v === 100 ? 'open' : `open ${withUnit('position', v as number)}`;
    case 'brightness': return `at ${withUnit('brightness', v as number)} brightness`;
    case 'colorTempK': return `at ${withUnit('colorTempK', v as number)}`;
    case 'volume': return `at volume ${fmt(v as number)}`;
    case 'muted': return v ? 'muted' : undefined;
    case 'playback': return String(v);
    case 'input': return `on ${option('input', String(v))}`;
    case 'app': return v ? `showing ${option('app', String(v))}` : undefined;
    case 'channel': return `channel ${fmt(v as number)}`;
    case 'mode': return `in ${option('mode', String(v))} mode`;
    case 'targetC': return `set to ${withUnit('targetC', v as number)}`;
    case 'ambientC': return `${withUnit('ambientC', v as number)} in the room`;
    case 'fanSpeed': return `fan speed ${option('fanSpeed', String(v))}`;
    case 'status': return String(v);
    case 'batteryPct': return d.traits.includes('charging') ? `at ${withUnit('batteryPct', v as number)}` : `battery at ${withUnit('batteryPct', v as number)}`;
    case 'charging': return v ? 'charging' : 'not charging';
    case 'chargeLimitPct': return `set to charge up to ${withUnit('chargeLimitPct', v as number)}`;
    case 'running': return v ? 'running' : 'not running';
    case 'program': return `on the ${option('program', String(v))} program`;
    case 'remainingMin': return typeof v === 'number' && v > 0 ? `${v} minutes left` : undefined;
    case 'fridgeC': return `at ${withUnit('fridgeC', v as number)} in the fridge`;
    case 'freezerC': return `at ${withUnit('freezerC', v as number)} in the freezer`;
    case 'level': return v === 0 ? 'off' : `at level ${fmt(v as number)}`;
    case 'destination': return v ? `navigating to ${String(v)}` : 'not navigating';
    case 'temperatureC': return `reading ${withUnit('temperatureC', v as number)}`;
    case 'humidityPct': return `humidity ${withUnit('humidityPct', v as number)}`;
    case 'powerW': return `using ${withUnit('powerW', v as number)}`;
    case 'energyKWh': return `at ${withUnit('energyKWh', v as number)} used`;
    case 'pm25': return `reading PM2.5 ${withUnit('pm25', v as number)}`;
    case 'occupied': return v ? 'sensing someone there' : 'sensing no one there';
    case 'smokeDetected': return v ? 'detecting smoke' : 'not detecting smoke';
    case 'leakDetected': return v ? 'detecting a water leak' : 'not detecting a leak';
    default: {
      // sensors as data (traits/readings.ts): a condition by its state, a quantity by its value and unit
      const state = stateOfValue(d, field, v);
      if (state) return statePhrase(state, fieldsOf(d)[field]?.aspects?.[0]);
      return typeof v === 'number' ? `reading ${withUnit(field, v)}` : typeof v === 'string' ? `at ${v}` : undefined;
    }
  }
}

/** "Yes: the phone is low.", "No, no sensors are detecting gas.", "2 of 3 sensors are detecting smoke: ..." */
function conditionSentence(a: Extract<Answer, { k: 'condition' }>): string {
  const one = a.type ? (DEVICE_TYPES[a.type].words.en[0] ?? 'device') : 'device';
  const what = a.total === 1 ? one : a.type ? typePlural(a.type) : 'devices';
  const word = statePhrase(a.state, a.aspect);
  const names = a.devices.map((d) => `the ${name(d)}`);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
  const verb = (n: number) => (n === 1 ? 'is' : 'are');
  switch (a.quant) {
    case 'any':
      return names.length ? `Yes: ${list} ${verb(names.length)} ${word}.` : `No, no ${what} are ${word}.`;
    case 'all':
      if (names.length === a.total) return `Yes, ${a.total === 1 ? list : `all ${a.total}`} ${verb(a.total)} ${word}.`;
      return names.length ? `No: ${names.length} of ${a.total} ${verb(names.length)} ${word}, ${list}.` : `No, none of the ${a.total} ${what} are ${word}.`;
    case 'count':
      return `${names.length} of ${a.total} ${what} ${verb(names.length)} ${word}${names.length ? `: ${list}` : ''}.`;
    default:
      return names.length ? `${cap(list)} ${verb(names.length)} ${word}.` : `No ${what} are ${word}.`;
  }
}

function answerSentence(a: Answer): string {
  if (a.k === 'room') {
    const area = nameOf(a.area.names, 'en', a.area.id);
    const parts: string[] = [];
    if (a.temperatureC !== undefined) parts.push(`It's ${withUnit('temperatureC', a.temperatureC)} in the ${area}`);
    if (a.humidityPct !== undefined) parts.push(`${parts.length ? 'humidity is' : `Humidity in the ${area} is`} ${withUnit('humidityPct', a.humidityPct)}`);
    return `${parts.join(', ')}.`;
  }
  if (a.k === 'remaining') {
    const min = (m: number) => `${m} minute${m === 1 ? '' : 's'}`;
    if (a.activity === 'charging') {
      const at = a.batteryPct === undefined ? '' : ` (at ${withUnit('batteryPct', a.batteryPct)})`;
      if (a.running && a.minutes > 0) return `${cap(the(a.device))} will reach ${a.limitPct === undefined ? 'its limit' : withUnit('chargeLimitPct', a.limitPct)} in about ${min(a.minutes)}${at}.`;
      if (!a.running) return `${cap(the(a.device))} ${isnt(a.device)} charging${at}.`;
    }
    if (a.activity) {
      if (a.running && a.minutes > 0) return `${cap(the(a.device))} ${has(a.device)} about ${min(a.minutes)} of ${a.activity} left.`;
      if (!a.running && a.minutes === 0) return `${cap(the(a.device))} ${isnt(a.device)} ${a.activity}, so there's nothing left to wait for.`;
    }
    if (a.running && a.minutes > 0) return `${cap(the(a.device))} ${has(a.device)} about ${min(a.minutes)} left.`;
    if (a.running) return `${cap(the(a.device))} ${is(a.device)} running; it hasn't said how long is left.`;
    if (a.minutes > 0) return `${cap(the(a.device))} ${is(a.device)} paused with ${min(a.minutes)} left.`;
    return `${cap(the(a.device))} ${isnt(a.device)} running, so there's nothing left to wait for.`;
  }
  if (a.k === 'condition') return conditionSentence(a);
  if (a.k === 'which') {
    const what = a.type ? typePlural(a.type) : 'devices';
    if (!a.devices.length) return `No ${what} are ${a.state}.`;
    const names = a.devices.map((d) => `the ${name(d)}`);
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]!;
    return `${cap(list)} ${names.length > 1 ? 'are' : 'is'} ${a.state}.`;
  }
  const phrases = a.fields.map(([f, v]) => fieldPhrase(f, v, a.device)).filter((p): p is string => !!p);
  if (!phrases.length) return `I don't know the state of ${the(a.device)} yet.`;
  return `${cap(the(a.device))} ${is(a.device)} ${phrases.length > 1 ? `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}` : phrases[0]}.`;
}

function refusalText(d: DeviceView, r: Refusal): string {
  switch (r.kind) {
    case 'option':
      return r.options.length
        ? `${cap(the(d))} can't do that; its ${r.field === 'fanSpeed' ? 'fan speeds' : `${r.field}s`} are ${r.options.map((o) => option(r.field, o)).join(', ')}.`
        : `${cap(the(d))} ${has(d)} no such ${r.field}.`;
    case 'noDestination': return 'Where would you like to go?';
    case 'colorOnlyWhite': return `${cap(the(d))} only does shades of white, from warm to cool.`;
    default: return `${cap(the(d))} can't do that.`;
  }
}

/** why an action failed, in words: the node's state for transport failures, the device's own message otherwise */
function reason(e: { code: string; message: string }): string {
  if (e.code === 'NODE_OFFLINE') return 'its node is offline';
  if (e.code === 'TIMEOUT') return "its node didn't answer in time";
  return e.message.replace(/\.$/, '');
}

export const enReplies: Replies = {
  done(parts, delayMs) {
    const text = groupByEffects(parts).map((g) => deviceSentence(g.devices, g.effects)).filter(Boolean).join(' ') || 'Done.';
    // lower-case the first word after the colon, but not an acronym ("TV off")
    const lead = /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
    return delayMs ? `OK, in ${delayText(delayMs)}: ${lead}` : text;
  },
  scene: (sceneName, delayMs) => (delayMs ? `OK, in ${delayText(delayMs)} I'll start ${sceneName}.` : `${cap(sceneName)}: done.`),
  refusal: refusalText,
  unknownDevice: (n) => `I couldn't find a ${n} in your home, so I didn't change anything.`,
  noneInHome: (type) => `There's no ${DEVICE_TYPES[type].words.en[0]} in your home.`,
  noneInArea: (type, areas) => `There's no ${DEVICE_TYPES[type].words.en[0]} in the ${areas.map((a) => nameOf(a.names, 'en', a.id)).join(' or ')}.`,
  miscount: (count, devices) =>
    `You said ${count}, but I found ${devices.length}: ${devices.map((d) => `the ${name(d)}`).join(', ').replace(/, ([^,]*)$/, ' and $1')}. ${devices.length > 1 ? 'Which do you mean?' : 'I didn\'t change anything.'}`,
  ambiguous: (devices) => `Which one do you mean: ${devices.map((d) => `the ${name(d)}`).join(', ').replace(/, ([^,]*)$/, ' or $1')}?`,
  whichDevice: () => 'Which device do you mean?',
  notUnderstood: () => "Sorry, I didn't understand that.",
  fragment: (text) => `I'm not sure what you want done with "${text}", so I didn't change anything.`,
  nodeNotDevice: (n) => `The ${n} is a hub node, not a device I can control; name a device instead.`,
  answer: (answers) => answers.map(answerSentence).join(' '),
  say(phrase, describe) {
    switch (phrase.key) {
      case 'confirmPrompt': {
        const what = phrase.actions.map(describe);
        return `Do you want me to ${what.join(' and ')}? Say yes to confirm or no to cancel.`;
      }
      case 'confirmSummary': {
        const what = phrase.actions.map(describe).join(' and ');
        return `${what.charAt(0).toUpperCase()}${what.slice(1)}`;
      }
      case 'done': return `Done: ${phrase.actions.map(describe).join(' and ')}.`;
      case 'confirmed': return 'Confirmed.';
      case 'cancelled': return "OK, I won't do that.";
      case 'nothingToConfirm': return 'There is nothing waiting for confirmation.';
      case 'confirmExpired': return 'That request expired; please ask again.';
      case 'heard': return `Did you say "${phrase.text}"?`;
      case 'scheduled': {
        const prefix = `OK, in ${delayText(phrase.delayMs)}`;
        return phrase.reply.startsWith(prefix) ? phrase.reply : `${prefix}: ${phrase.reply}`;
      }
      case 'failed': return `I couldn't ${describe(phrase.action)}: ${reason(phrase.error)}.`;
      case 'outcome': {
        const parts = phrase.failed.map((f) => `I couldn't ${describe(f.action)}: ${reason(f.error)}.`);
        return [...parts, ...(phrase.rest ? ['The rest is done.'] : [])].join(' ');
      }
    }
  },
  describeAction(a, d) {
    const n = d ? the(d) : a.deviceId.replace(/_/g, ' ');
    const p = a.params;
    switch (a.command) {
      case 'unlock': return `unlock ${n}`;
      case 'lock': return `lock ${n}`;
      case 'open': return `open ${n}`;
      case 'close': return `close ${n}`;
      case 'setPosition': return `open ${n} to ${fmt(Number(p.position))} %`;
      case 'adjustPosition': return `${Number(p.delta) > 0 ? 'open' : 'close'} ${n} a bit`;
      case 'turnOn': return `turn on ${n}`;
      case 'turnOff': return `turn off ${n}`;
      default: {
        const words = a.command.replace(/([A-Z])/g, ' $1').toLowerCase();
        const args = Object.values(p).map(String).join(' ');
        return `${words} ${n}${args ? ` (${args})` : ''}`;
      }
    }
  },
};
