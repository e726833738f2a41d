/** 中文回复。 */
import { DEVICE_TYPES, fieldsOf, type Value } from '@steward/device-adapters';
import type { DeviceView } from '../contract.ts';
import type { Effect, Refusal } from '../effects.ts';
import type { OptionField } from '../lexicon/types.ts';
import { zh } from '../lexicon/zh.ts';
import { deviceName, nameOf, stateOfValue, unitOf } from '../device-fields.ts';
import { durationParts, fmt, groupByEffects, type Answer, type DeviceEffects, type Replies } from './types.ts';

const name = (d: DeviceView) => deviceName(d, 'zh');

/** how a field's unit (`FieldSpec.unit`) is written after a number; fields counted in steps say their own word */
const UNIT: Record<string, string> = { '%': '%', '°C': '度', K: 'K', W: '瓦', kWh: '度', 'µg/m³': '微克/立方米' };
const FIELD_UNIT: Record<string, string> = { volume: '', level: '档', channel: '台' };
const MORE_UNITS: Record<string, string> = {
  hPa: '百帕', lx: '勒克斯', V: '伏', A: '安', Hz: '赫兹', km: '公里', kg: '公斤', L: '升', 'km/h': '公里/小时', mm: '毫米', 'mm/h': '毫米/小时', dB: '分贝', 'm³': '立方米', min: '分钟',
};
const withUnit = (field: string, v: number) => {
  const u = unitOf(field) ?? '';
  return `${fmt(v)}${FIELD_UNIT[field] ?? UNIT[u] ?? MORE_UNITS[u] ?? u}`;
};

/** 传感器检测的东西，按字段的 aspect */
const SENSED: Record<string, string> = {
  carbonMonoxide: '一氧化碳', gas: '燃气', noise: '声音', smoke: '烟雾', leak: '漏水', occupancy: '有人', tamper: '被拆', vibration: '震动', mains: '市电',
};
/** 传感器状态（device-adapters `FieldSpec.states` 的 id） */
const STATE_WORDS: Record<string, string> = {
  low: '电量低', normal: '电量正常', charged: '电量充足', charging: '正在充电', notCharging: '没有在充电', cold: '过冷', hot: '过热',
  connected: '已联网', disconnected: '已断网', unlocked: '没锁', locked: '锁着', pluggedIn: '插着电', unplugged: '没插电', powered: '有电',
  unpowered: '没电', home: '在家', away: '不在家', problem: '有故障', ok: '正常', running: '正在运行', stopped: '没有运行', unsafe: '不安全',
  safe: '安全', tampered: '被拆动过', available: '有可用更新', upToDate: '已是最新', vibrating: '在震动', wet: '检测到漏水', dry: '没有漏水', occupied: '有人',
};
function statePhrase(state: string, aspect: string | undefined): string {
  if (state === 'detected') return `检测到${SENSED[aspect ?? ''] ?? '异常'}`;
  if (state === 'clear') return `没有检测到${SENSED[aspect ?? ''] ?? '异常'}`;
  return STATE_WORDS[state] ?? state;
}

/** 哪些/有没有/是不是都/几个：从实时状态数出来 */
function conditionSentence(a: Extract<Answer, { k: 'condition' }>): string {
  const what = a.type ? DEVICE_TYPES[a.type].words.zh[0] : '设备';
  const word = statePhrase(a.state, a.aspect);
  const list = a.devices.map(name).join('、');
  const k = a.devices.length;
  switch (a.quant) {
    case 'any':
      return k ? `有：${list}${word}。` : `没有，没有${word}的${what}。`;
    case 'all':
      if (k === a.total) return `是的，${a.total}个${what}都${word}。`;
      return `不是，${a.total}个${what}里有${k}个${word}${k ? `：${list}` : ''}。`;
    case 'count':
      return `${a.total}个${what}里有${k}个${word}${k ? `：${list}` : ''}。`;
    default:
      return k ? `${word}的${what}有：${list}。` : `没有${word}的${what}。`;
  }
}

/** The Chinese word for a canonical option id ("cool" -> 制冷, "bilibili" -> 哔哩哔哩). */
function option(field: string, id: string): string {
  if (field === 'input') return id.toUpperCase().replace(/^TV$/, '电视信号');
  const words = zh.options[field as OptionField]?.[id];
  if (!words?.length) return id.replace(/_/g, ' ');
  if (field === 'fanSpeed') return words.find((w) => w.endsWith('档')) ?? words[0]!;
  return words.find((w) => !/^[a-z ]+$/.test(w)) ?? words[0]!;
}

/** The Chinese word for an option the vocabulary knows (the dashboard shows it), or undefined */
export function zhOptionWord(field: string, id: string): string | undefined {
  return zh.options[field as OptionField]?.[id]?.length ? option(field, id) : undefined;
}

const WHITE: Record<string, string> = { warm: '暖光', neutral: '自然光', daylight: '日光', cool: '冷白光' };
const COLOUR: Record<string, string> = Object.fromEntries(Object.entries(zh.colors).map(([k, c]) => [k, c.words[0]!]));

function delayText(ms: number): string {
  const { h, m, s } = durationParts(ms);
  if (h && m === 30 && !s) return `${h}个半小时`;
  if (!h && m === 30 && !s) return '半小时';
  return `${h ? `${h}小时` : ''}${m ? `${m}分钟` : ''}${s ? `${s}秒` : ''}` || '稍后';
}

/** What an effect did, said after the device name ("已打开", "亮度已调到40%"). */
function predicate(e: Effect): string | undefined {
  if (e.implicit) return undefined;
  const v = e.value;
  const up = (e.delta ?? 0) > 0;
  switch (e.command) {
    case 'turnOn': return '已打开';
    case 'turnOff': return '已关闭';
    case 'toggle': return '已切换开关';
    case 'open': return '正在打开';
    case 'close': return '正在关闭';
    case 'stopMoving': return '已停止';
    case 'setBrightness': return `亮度已调到${withUnit('brightness', v as number)}`;
    case 'adjustBrightness': return up ? '已调亮' : '已调暗';
    case 'setColor': return e.name ? `已调成${WHITE[e.name] ?? COLOUR[e.name] ?? e.name}` : `色相已调到${fmt(v as number)}`;
    case 'setColorTemperature': return e.name ? `已调成${WHITE[e.name] ?? COLOUR[e.name] ?? e.name}` : `色温已调到${withUnit('colorTempK', v as number)}`;
    case 'adjustColorTemperature': return up ? '已调冷' : '已调暖';
    case 'setVolume': return `音量已调到${fmt(v as number)}`;
    case 'adjustVolume': return up ? '音量已调大' : '音量已调小';
    case 'mute': return '已静音';
    case 'unmute': return '已取消静音';
    case 'play': return '开始播放';
    case 'pause': return '已暂停';
    case 'stop': return '已停止播放';
    case 'next': return '已切到下一首';
    case 'previous': return '已切回上一首';
    case 'setTargetTemperature': return `已调到${withUnit('targetC', v as number)}`;
    case 'adjustTargetTemperature': return `已调${up ? '高' : '低'}${withUnit('targetC', Math.abs(e.delta ?? 1))}`;
    case 'setFridgeTemperature': return `冷藏室已调到${withUnit('fridgeC', v as number)}`;
    case 'adjustFridgeTemperature': return `冷藏室已调${up ? '高' : '低'}${withUnit('fridgeC', Math.abs(e.delta ?? 1))}`;
    case 'setFreezerTemperature': return `冷冻室已调到${withUnit('freezerC', v as number)}`;
    case 'adjustFreezerTemperature': return `冷冻室已调${up ? '高' : '低'}${withUnit('freezerC', Math.abs(e.delta ?? 1))}`;
    case 'setPosition': return v === 0 ? '正在关闭' : v === 100 ? '正在打开' : `正在开到${withUnit('position', v as number)}`;
    case 'adjustPosition': return up ? '再打开一点' : '再关上一点';
    case 'setLevel': return v === 0 ? '已关闭' : `已调到${withUnit('level', v as number)}`;
    case 'adjustLevel': return up ? '已调高一档' : '已调低一档';
    case 'setChannel': return `已切换到${withUnit('channel', v as number)}`;
    case 'adjustChannel': return up ? '已换到下一个台' : '已换到上一个台';
    case 'setMode':
    case 'setFridgeMode': return `已设为${option('mode', String(v))}模式`;
    case 'setFanSpeed': return `风速已调到${option('fanSpeed', String(v))}`;
    case 'adjustFanSpeed': return up ? '风速已调大' : '风速已调小';
    case 'setInput': return `已切换到${option('input', String(v))}`;
    case 'openApp': return `正在打开${option('app', String(v))}`;
    case 'closeApp': return '已关闭应用';
    case 'selectProgram': return `已选择${option('program', String(v))}程序`;
    case 'startProgram': return v ? `已用${option('program', String(v))}程序启动` : '已启动';
    case 'pauseProgram': return '已暂停';
    case 'cancelProgram': return '已取消';
    case 'startMowing': return '开始割草了';
    case 'pauseMowing': return '已暂停';
    case 'dockMower': return '正在回去充电';
    case 'selectMode': return `已设为${option('mode', String(v))}模式`;
    case 'startCleaning': return '开始打扫了';
    case 'pauseCleaning': return '已暂停';
    case 'returnToDock': return '正在回去充电';
    case 'lock': return '已锁上';
    case 'unlock': return '已解锁';
    case 'navigateTo': return `开始导航去${String(v)}`;
    case 'cancelNavigation': return '已取消';
    case 'setChargeLimit': return `充电上限已设为${withUnit('chargeLimitPct', v as number)}`;
    case 'startCharging': return '开始充电';
    case 'stopCharging': return '已停止充电';
    default: return e.command;
  }
}

function clampNote(d: DeviceView, e: Effect): string {
  const c = e.clamp!;
  const field = e.field ?? '';
  const WHAT: Record<string, string> = {
    targetC: '温度', fridgeC: '冷藏温度', freezerC: '冷冻温度', brightness: '亮度', volume: '音量', position: '开合',
    chargeLimitPct: '充电上限', level: '档位', colorTempK: '色温', channel: '频道',
  };
  const what = WHAT[field] ?? '';
  return `${name(d)}的${what}范围是${fmt(c.min)}到${withUnit(field, c.max)}，已调到${withUnit(field, e.value as number)}。`;
}

function deviceSentence(group: DeviceView[], effects: Effect[]): string {
  const preds = effects.filter((e) => !e.clamp).map(predicate).filter((p): p is string => !!p);
  const notes = effects.filter((e) => e.clamp).map((e) => clampNote(group[0]!, e));
  const subject = group.length > 3 ? `${group.length}个设备` : group.map(name).join('、');
  const nav = effects.find((e) => e.command === 'navigateTo');
  // "卧室空调已打开，设为制热模式，调到25度": 已 once
  const said = preds.map((p, i) => (i > 0 && p.startsWith('已') ? p.slice(1) : p));
  const main = nav ? `好的，开始导航去${String(nav.value)}。` : said.length ? `${subject}${said.join('，')}。` : '';
  return [main, ...notes].join('');
}

function fieldPhrase(field: string, v: Value, d: DeviceView): string | undefined {
  switch (field) {
    case 'on': return v ? '开着' : '关着';
    case 'locked': return v ? '已锁上' : '没有锁';
    case 'open': return v ? '开着' : '关着';
    case 'position': return v === 0 ? '关着' : v === 100 ? '全开' : `开了${withUnit('position', v as number)}`;
    case 'brightness': return `亮度${withUnit('brightness', v as number)}`;
    case 'colorTempK': return `色温${withUnit('colorTempK', v as number)}`;
    case 'volume': return `音量${fmt(v as number)}`;
    case 'muted': return v ? '静音中' : undefined;
    case 'playback': return v === 'playing' ? '正在播放' : v === 'paused' ? '已暂停' : '已停止';
    case 'input': return `信号源${option('input', String(v))}`;
    case 'app': return v ? `正在使用${option('app', String(v))}` : undefined;
    case 'channel': return `${withUnit('channel', v as number)}`;
    case 'mode': return `${option('mode', String(v))}模式`;
    case 'targetC': return `设定${withUnit('targetC', v as number)}`;
    case 'ambientC': return `室内${withUnit('ambientC', v as number)}`;
    case 'fanSpeed': return `风速${option('fanSpeed', String(v))}`;
    case 'status': return ({ docked: '在充电座上', cleaning: '正在打扫', mowing: '正在割草', paused: '已暂停', returning: '正在回充' } as Record<string, string>)[String(v)] ?? String(v);
    case 'batteryPct': return `电量${withUnit('batteryPct', v as number)}`;
    case 'charging': return v ? '正在充电' : '没有在充电';
    case 'chargeLimitPct': return `充电上限${withUnit('chargeLimitPct', v as number)}`;
    case 'running': return v ? '正在运行' : '没有运行';
    case 'program': return `${option('program', String(v))}程序`;
    case 'remainingMin': return typeof v === 'number' && v > 0 ? `还剩${v}分钟` : undefined;
    case 'fridgeC': return `冷藏室${withUnit('fridgeC', v as number)}`;
    case 'freezerC': return `冷冻室${withUnit('freezerC', v as number)}`;
    case 'level': return v === 0 ? '关着' : `${withUnit('level', v as number)}`;
    case 'destination': return v ? `正在导航去${String(v)}` : '没有在导航';
    case 'temperatureC': return `现在${withUnit('temperatureC', v as number)}`;
    case 'humidityPct': return `湿度${withUnit('humidityPct', v as number)}`;
    case 'powerW': return `功率${withUnit('powerW', v as number)}`;
    case 'energyKWh': return `已用电${withUnit('energyKWh', v as number)}`;
    case 'pm25': return `PM2.5为${withUnit('pm25', v as number)}`;
    case 'occupied': return v ? '检测到有人' : '没有检测到人';
    case 'smokeDetected': return v ? '检测到烟雾' : '没有检测到烟雾';
    case 'leakDetected': return v ? '检测到漏水' : '没有检测到漏水';
    default: {
      // 数据定义的传感器（traits/readings.ts）：状态说状态，读数说数值和单位
      const state = stateOfValue(d, field, v);
      if (state) return statePhrase(state, fieldsOf(d)[field]?.aspects?.[0]);
      return typeof v === 'number' ? `读数为${withUnit(field, v)}` : typeof v === 'string' ? `为${v}` : undefined;
    }
  }
  void d;
}

/** a robot's work, by the status it works in */
const WORK: Record<string, { doing: string; done: string }> = { cleaning: { doing: '打扫', done: '打扫完' }, mowing: { doing: '割草', done: '割完草' } };

function answerSentence(a: Answer): string {
  if (a.k === 'room') {
    const area = nameOf(a.area.names, 'zh', a.area.id);
    const parts: string[] = [];
    if (a.temperatureC !== undefined) parts.push(`${area}现在${withUnit('temperatureC', a.temperatureC)}`);
    if (a.humidityPct !== undefined) parts.push(`${parts.length ? '' : area}湿度${withUnit('humidityPct', a.humidityPct)}`);
    return `${parts.join('，')}。`;
  }
  if (a.k === 'remaining') {
    if (a.activity === 'charging') {
      const at = a.batteryPct === undefined ? '' : `，电量${withUnit('batteryPct', a.batteryPct)}`;
      if (a.running && a.minutes > 0) return `${name(a.device)}还要大约${a.minutes}分钟充到${a.limitPct === undefined ? '上限' : withUnit('chargeLimitPct', a.limitPct)}${at}。`;
      if (!a.running) return `${name(a.device)}现在没有在充电${at}。`;
    }
    const work = a.activity ? WORK[a.activity] : undefined;
    if (work) {
      if (a.running && a.minutes > 0) return `${name(a.device)}还要大约${a.minutes}分钟${work.done}。`;
      if (!a.running && a.minutes === 0) return `${name(a.device)}现在没有在${work.doing}，不用等。`;
    }
    if (a.running && a.minutes > 0) return `${name(a.device)}还要大约${a.minutes}分钟。`;
    if (a.running) return `${name(a.device)}正在运行，还不知道剩余时间。`;
    if (a.minutes > 0) return `${name(a.device)}暂停了，还剩${a.minutes}分钟。`;
    return `${name(a.device)}现在没有在运行，不用等。`;
  }
  if (a.k === 'condition') return conditionSentence(a);
  if (a.k === 'which') {
    const what = a.type ? DEVICE_TYPES[a.type].words.zh[0] : '设备';
    const state = { on: '开着的', off: '关着的', open: '开着的', unlocked: '没锁的', locked: '锁着的', playing: '正在播放的' }[a.state];
    if (!a.devices.length) return `没有${state}${what}。`;
    return `${state}${what}有：${a.devices.map(name).join('、')}。`;
  }
  const phrases = a.fields.map(([f, v]) => fieldPhrase(f, v, a.device)).filter((p): p is string => !!p);
  if (!phrases.length) return `还不知道${name(a.device)}的状态。`;
  return `${name(a.device)}${phrases.join('，')}。`;
}

function refusalText(d: DeviceView, r: Refusal): string {
  switch (r.kind) {
    case 'option': {
      const what = r.field === 'fanSpeed' ? '风速' : r.field === 'program' ? '程序' : r.field === 'input' ? '信号源' : r.field === 'app' ? '应用' : '模式';
      return r.options.length ? `${name(d)}没有这个${what}，可选的有：${r.options.map((o) => option(r.field, o)).join('、')}。` : `${name(d)}没有这个${what}。`;
    }
    case 'noDestination': return '请问要去哪里？';
    case 'colorOnlyWhite': return `${name(d)}只能调白光的冷暖。`;
    default: return `${name(d)}不支持这个操作。`;
  }
}

/** 失败原因：节点离线、超时用中文说明；设备自己的错误信息原样给出 */
function reason(e: { code: string; message: string }): string {
  if (e.code === 'NODE_OFFLINE') return '它所在的节点离线了';
  if (e.code === 'TIMEOUT') return '它所在的节点没有及时响应';
  if (e.code === 'OUT_OF_RANGE' || e.code === 'INVALID_VALUE') return `设备不接受这个值（${e.message}）`;
  return `设备报错（${e.message}）`;
}

export const zhReplies: Replies = {
  done(parts, delayMs) {
    const text = groupByEffects(parts).map((g) => deviceSentence(g.devices, g.effects)).join('') || '好的。';
    // a scheduled command has not happened yet: drop the "已" of completed actions
    return delayMs ? `好的，${delayText(delayMs)}后${text.replace(/已/g, '')}` : text;
  },
  scene: (sceneName, delayMs) => (delayMs ? `好的，${delayText(delayMs)}后执行${sceneName}。` : `好的，已执行${sceneName}。`),
  refusal: refusalText,
  unknownDevice: (n) => `没有找到“${n}”这个设备，什么都没有改动。`,
  noneInHome: (type) => `家里没有${DEVICE_TYPES[type].words.zh[0]}。`,
  noneInArea: (type, areas) => `${areas.map((a) => nameOf(a.names, 'zh', a.id)).join('或')}没有${DEVICE_TYPES[type].words.zh[0]}。`,
  miscount: (count, devices) => `您说的是${count}个，但找到${devices.length}个：${devices.map(name).join('、')}。${devices.length > 1 ? '请问是哪几个？' : '什么都没有改动。'}`,
  ambiguous: (devices) => `请问是哪一个：${devices.map(name).join('、')}？`,
  whichDevice: () => '请问是哪个设备？',
  notUnderstood: () => '抱歉，我没听懂。',
  fragment: (text) => `不确定要对“${text}”做什么，什么都没有改动。`,
  nodeNotDevice: (n) => `“${n}”是网关节点，不是可以控制的设备，请说设备的名字。`,
  answer: (answers) => answers.map(answerSentence).join(''),
  say(phrase, describe) {
    switch (phrase.key) {
      case 'confirmSummary': return phrase.actions.map(describe).join('并');
      case 'confirmPrompt': return `确定要${phrase.actions.map(describe).join('并')}吗？请说“确认”或“取消”。`;
      case 'done': return `已${phrase.actions.map(describe).join('并')}。`;
      case 'confirmed': return '好的，已确认。';
      case 'cancelled': return '好的，已取消。';
      case 'nothingToConfirm': return '现在没有需要确认的操作。';
      case 'confirmExpired': return '确认已超时，请重新说一遍。';
      case 'heard': return `你是说“${phrase.text}”吗？`;
      case 'scheduled': {
        const prefix = `好的，${delayText(phrase.delayMs)}后`;
        return phrase.reply.startsWith(prefix) ? phrase.reply : `${prefix}${phrase.reply}`;
      }
      case 'failed': return `没能${describe(phrase.action)}：${reason(phrase.error)}。`;
      case 'outcome': {
        const parts = phrase.failed.map((f) => `没能${describe(f.action)}：${reason(f.error)}。`);
        return [...parts, ...(phrase.rest ? ['其余的都已完成。'] : [])].join('');
      }
    }
  },
  describeAction(a, d) {
    const n = d ? name(d) : a.deviceId;
    const p = a.params;
    switch (a.command) {
      case 'unlock': return `打开${n}`;
      case 'lock': return `锁上${n}`;
      case 'open': return `打开${n}`;
      case 'close': return `关闭${n}`;
      case 'setPosition': return `把${n}开到${fmt(Number(p.position))}%`;
      case 'adjustPosition': return `把${n}${Number(p.delta) > 0 ? '打开' : '关上'}一点`;
      case 'turnOn': return `打开${n}`;
      case 'turnOff': return `关闭${n}`;
      default: return `对${n}执行${a.command}`;
    }
  },
};
