import { onOff } from './onOff.ts';
import { brightness } from './brightness.ts';
import { colorTemperature } from './colorTemperature.ts';
import { color } from './color.ts';
import { volume } from './volume.ts';
import { playback } from './playback.ts';
import { inputSource } from './inputSource.ts';
import { app } from './app.ts';
import { channel } from './channel.ts';
import { thermostat } from './thermostat.ts';
import { fanSpeed } from './fanSpeed.ts';
import { position } from './position.ts';
import { temperature, humidity, contact, motion, smoke, leak, battery, powerMeter, airQuality } from './sensors.ts';
import { vacuum } from './vacuum.ts';
import { mower } from './mower.ts';
import { mode } from './mode.ts';
import { program } from './program.ts';
import { fridge } from './fridge.ts';
import { lock } from './lock.ts';
import { level } from './level.ts';
import { navigation } from './navigation.ts';
import { charging } from './charging.ts';
import { microphone, audioOutput } from './audio.ts';
import { CONDITION_TRAITS, QUANTITY_TRAITS } from './readings.ts';
import type { TraitSpec } from '../trait.ts';

export const TRAITS = {
  onOff, brightness, colorTemperature, color, volume, playback, inputSource, app, channel, thermostat, fanSpeed, position,
  temperature, humidity, contact, motion, smoke, leak, battery, powerMeter, airQuality, vacuum, mower, mode, program, fridge, lock, level, navigation, charging,
  microphone, audioOutput,
  // sensors as data: one row per detected condition or measured quantity (readings.ts)
  ...CONDITION_TRAITS, ...QUANTITY_TRAITS,
} satisfies Record<string, TraitSpec>;

export type TraitId = keyof typeof TRAITS;
export const TRAIT_IDS = Object.keys(TRAITS) as [TraitId, ...TraitId[]];
export { CLIP_NAME } from './audio.ts';
export { CONDITIONS, QUANTITIES } from './readings.ts';
