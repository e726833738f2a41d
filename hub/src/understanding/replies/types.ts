/**
 * What each language's reply module provides. Replies are short sentences in the style "Bedroom light at 40 %." /
 * "卧室灯亮度已调到40%。": the device, then what happened; refusals and clamps name the allowed range.
 */
import type { Area, DeviceType, State, Value } from '@steward/device-adapters';
import type { DeviceAction, DeviceView, Phrase } from '../contract.ts';
import type { Effect, Refusal } from '../effects.ts';
import type { Quantifier } from '../lexicon/types.ts';

export interface DeviceEffects {
  device: DeviceView;
  effects: Effect[];
}

/** A fact for a query answer: a device's fields, or a room's measured temperature/humidity. */
export type Answer =
  | { k: 'fields'; device: DeviceView; fields: [string, Value][] }
  | { k: 'room'; area: Area; temperatureC?: number; humidityPct?: number }
  /**
   * time left as the device reports it: a program cycle's (running, paused, or not running), a charge's to its
   * limit (`activity: 'charging'`), or a robot's run (`activity`: the status it works in, `cleaning`, `mowing`)
   */
  | { k: 'remaining'; device: DeviceView; running: boolean; minutes: number; activity?: string; limitPct?: number; batteryPct?: number }
  | { k: 'which'; type?: DeviceType; state: 'on' | 'off' | 'open' | 'unlocked' | 'locked' | 'playing'; devices: DeviceView[] }
  /**
   * a sensed condition over several devices (conditions.ts): `devices` are those in `state` (a sensor field's state
   * id: low, detected, connected) of the `total` asked about; `quant` says how the question asked
   */
  | { k: 'condition'; quant: Quantifier; state: string; aspect?: string; type?: DeviceType; devices: DeviceView[]; total: number };

export interface Replies {
  /** every action of a clause succeeded */
  done(parts: DeviceEffects[], delayMs?: number): string;
  scene(name: string, delayMs?: number): string;
  refusal(device: DeviceView, refusal: Refusal): string;
  unknownDevice(name: string): string;
  noneInArea(type: DeviceType, areas: Area[]): string;
  noneInHome(type: DeviceType): string;
  ambiguous(devices: DeviceView[]): string;
  /** a number of devices said ("两个灯") that is not the number found: what was found, and which are meant */
  miscount(count: number, devices: DeviceView[]): string;
  whichDevice(): string;
  notUnderstood(): string;
  /** a turn that names targets but no command, and answers no question: nothing was changed */
  fragment(text: string): string;
  nodeNotDevice(name: string): string;
  answer(answers: Answer[]): string;
  say(phrase: Phrase, describe: (a: DeviceAction) => string): string;
  /** "unlock the front door", for the confirmation prompt */
  describeAction(action: DeviceAction, device: DeviceView | undefined, state: State | undefined): string;
}

/** 24, 35.5, -20: at most one decimal. */
export function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}

export function durationParts(ms: number): { h: number; m: number; s: number } {
  const total = Math.round(ms / 1000);
  return { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60), s: total % 60 };
}

/** Devices with the same commands are said together ("Kitchen light and bedside lamp off."). */
export function groupByEffects(parts: DeviceEffects[]): { devices: DeviceView[]; effects: Effect[] }[] {
  const groups = new Map<string, { devices: DeviceView[]; effects: Effect[] }>();
  for (const p of parts) {
    const key = p.effects.map((e) => `${e.command}|${String(e.value)}|${e.delta}|${e.name}|${e.implicit}|${!!e.clamp}`).join(';');
    const g = groups.get(key);
    if (g && !p.effects.some((e) => e.clamp)) g.devices.push(p.device);
    else groups.set(g ? `${key}#${p.device.id}` : key, { devices: [p.device], effects: p.effects });
  }
  return [...groups.values()];
}
