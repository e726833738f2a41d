/**
 * What each spoken act means for each trait: "open" unlocks a lock and opens a curtain, "off" sends a vacuum to
 * its dock. Handlers are tried in the order of the table; the first trait the device has wins.
 */
import type { State, TraitId } from '@steward/device-adapters';
import type { DeviceView } from './contract.ts';
import type { Act } from './lexicon/types.ts';
import type { Frame } from './frame.ts';
import type { IntentId, Step } from './effects.ts';
import { rangeOf } from './device-fields.ts';

/** The commands each spoken act stands for, tried per trait in order: the first trait the device has wins. */
export type Handler = (d: DeviceView, s: State, f: Frame) => Step | undefined;
const cmd = (command: string, intent: IntentId, params: Record<string, unknown> = {}, phase = 2): Step => ({
  command, params, effect: { intent }, phase,
});
const midLevel = (d: DeviceView) => {
  const [lo, hi] = rangeOf(d, 'level') ?? [0, 3];
  return Math.ceil((lo + hi) / 2);
};
export const H = {
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
  nextTrack: () => cmd('next', 'HassMediaNext'),
  previousTrack: () => cmd('previous', 'HassMediaPrevious'),
  cancelNav: () => cmd('cancelNavigation', 'StewardCancelNavigation'),
  mute: () => cmd('mute', 'HassMediaPlayerMute'),
  unmute: () => cmd('unmute', 'HassMediaPlayerUnmute'),
  toggle: () => cmd('toggle', 'HassToggle'),
  channelUp: () => ({ ...cmd('adjustChannel', 'HassMediaNext', { delta: 1 }), effect: { intent: 'HassMediaNext' as const, field: 'channel', delta: 1 } }),
  channelDown: () => ({ ...cmd('adjustChannel', 'HassMediaPrevious', { delta: -1 }), effect: { intent: 'HassMediaPrevious' as const, field: 'channel', delta: -1 } }),
};
const navigate: Handler = (_d, _s, f) =>
  f.destination ? { ...cmd('navigateTo', 'StewardNavigate', { destination: f.destination }), effect: { intent: 'StewardNavigate', value: f.destination } } : undefined;

export const ACTS: Partial<Record<Act, [TraitId, Handler][]>> = {
  on: [['position', H.open], ['vacuum', H.clean], ['program', H.startProgram], ['charging', H.startCharging], ['level', H.levelMid], ['onOff', H.turnOn], ['playback', H.play]],
  open: [['lock', H.unlock], ['position', H.open], ['onOff', H.turnOn], ['vacuum', H.clean], ['program', H.startProgram], ['level', H.levelMid], ['charging', H.startCharging], ['playback', H.play]],
  off: [['position', H.close], ['vacuum', H.dock], ['program', H.pauseProgram], ['charging', H.stopCharging], ['level', H.levelOff], ['onOff', H.turnOff], ['playback', H.pause], ['navigation', H.cancelNav]],
  close: [['lock', H.lock], ['position', H.close], ['onOff', H.turnOff], ['vacuum', H.dock], ['program', H.pauseProgram], ['level', H.levelOff], ['charging', H.stopCharging], ['playback', H.pause], ['navigation', H.cancelNav]],
  start: [['vacuum', H.clean], ['program', H.startProgram], ['charging', H.startCharging], ['onOff', H.turnOn], ['playback', H.play], ['position', H.open], ['level', H.levelMid]],
  stop: [['vacuum', H.pauseClean], ['program', H.pauseProgram], ['charging', H.stopCharging], ['playback', H.stop], ['position', H.stopMoving], ['navigation', H.cancelNav], ['onOff', H.turnOff], ['level', H.levelOff]],
  pause: [['playback', H.pause], ['vacuum', H.pauseClean], ['program', H.pauseProgram], ['charging', H.stopCharging], ['position', H.stopMoving]],
  play: [['playback', H.play], ['vacuum', H.clean], ['program', H.startProgram], ['onOff', H.turnOn]],
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
  // "next song", 下一首: a player skips a track; a device with channels and no player changes channel
  next: [['playback', H.nextTrack], ['channel', H.channelUp]],
  previous: [['playback', H.previousTrack], ['channel', H.channelDown]],
  cancel: [['program', H.cancelProgram], ['navigation', H.cancelNav], ['charging', H.stopCharging], ['vacuum', H.dock]],
};

/** Commands that need the device on (HA's HassLightSet turns a light on, and so does opening an app). */
export const NEEDS_ON = new Set(['setBrightness', 'adjustBrightness', 'setColor', 'setColorTemperature', 'adjustColorTemperature', 'openApp', 'setInput', 'setChannel', 'adjustChannel', 'play',
  // a thermostat or fan told a target, a mode or a speed is expected to run at it (小爱: 已打开空调并调到24度)
  'setTargetTemperature', 'adjustTargetTemperature', 'setMode', 'setFanSpeed', 'adjustFanSpeed']);

const STOPPING: ReadonlySet<Act> = new Set(['stop', 'pause', 'off', 'cancel']);
const STARTING: ReadonlySet<Act> = new Set(['start', 'clean', 'wash', 'charge', 'play', 'on']);

/** The acts a clause asks of devices: explicit verbs, else the verb that came with a device word. */
export function effectiveActs(f: Frame): Act[] {
  const hard = f.acts.filter((a) => !a.soft && !a.weak && a.act !== 'set');
  const weak = f.acts.filter((a) => a.weak && a.act !== 'set');
  let acts = (hard.length ? hard : weak.length ? weak : f.acts.filter((a) => a.soft)).map((a) => a.act);
  // "停止扫地", "stop charging": stopping wins over the activity it names
  if (acts.some((a) => STOPPING.has(a)) && acts.some((a) => STARTING.has(a))) acts = acts.filter((a) => !STARTING.has(a));
  if (f.onoff !== undefined && !acts.includes(f.onoff ? 'on' : 'off')) acts.push(f.onoff ? 'on' : 'off');
  // "电视声音关掉", "turn the sound off": switching the sound is muting, not switching the device
  if (f.attrs.includes('volume') && !f.nums.length && !f.dirs.length && !f.extreme) {
    acts = acts.map((a) => (a === 'off' || a === 'close' ? 'mute' : a === 'on' || a === 'open' ? 'unmute' : a));
  }
  return acts;
}

