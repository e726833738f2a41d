/**
 * The interface text in English and Chinese. The language follows navigator.language until the user picks one
 * (kept in localStorage). Device names come from the hub in each language; this file holds only the page's words.
 */
const en = {
  appName: 'Steward',
  navHome: 'Home',
  navConversation: 'Conversation',
  navPairing: 'Pairing & adoption',
  navHistory: 'History',
  navDocs: 'API',
  language: 'Language',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signInTitle: 'Sign in with the admin token',
  signInHelp: "The token is in the hub's data folder, in the file admin-token.",
  adminToken: 'Admin token',
  signedIn: 'Signed in',
  readOnly: 'Read-only: sign in to control devices',
  live: 'Live',
  polling: 'Updating every few seconds',
  reconnecting: 'Reconnecting…',
  online: 'online',
  offline: 'offline',
  on: 'on',
  off: 'off',
  yes: 'yes',
  no: 'no',
  locked: 'locked',
  unlocked: 'unlocked',
  running: 'running',
  stopped: 'stopped',
  start: 'Start',
  pause: 'Pause',
  colour: 'Colour',
  confirm: 'Confirm',
  cancel: 'Cancel',
  pending: 'Waiting for your confirmation',
  noDevices: 'No devices yet.',
  send: 'Send',
  commandLabel: 'Say something to your home',
  commandPlaceholder: 'turn on the porch light',
  microphone: 'Speak: record a spoken command',
  speak: 'Speak',
  stop: 'Stop',
  stopRecording: 'Stop recording and send',
  micUnavailable: 'This browser cannot record audio here.',
  you: 'You',
  hub: 'Steward',
  heard: 'Heard',
  steps: 'Steps',
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  openWindow: 'Open a pairing window',
  closeWindow: 'Close the window',
  pairingCode: 'Pairing code',
  pairingQr: 'QR code of the pairing payload',
  expires: 'Expires',
  nodes: 'Nodes',
  devices: 'Devices',
  adoptions: 'Devices waiting for adoption',
  adoptionsUnavailable: 'This hub has no adoption API yet.',
  noAdoptions: 'No devices are waiting.',
  adopt: 'Adopt',
  ignore: 'Ignore',
  commissionTitle: 'Add a device with its setup code',
  commissionNode: 'Node',
  setupCode: 'Setup code',
  commission: 'Commission',
  commissioning: 'Commissioning…',
  commissionFound: 'Found',
  name: 'Name',
  area: 'Area',
  save: 'Save',
  rename: 'Rename',
  revoke: 'Revoke',
  remove: 'Remove',
  paired: 'paired',
  recentCommands: 'Recent commands',
  trajectories: 'Trajectories',
  chart: 'Device history',
  device: 'Device',
  field: 'Value',
  since: 'Since',
  lastHour: 'the last hour',
  lastDay: 'the last day',
  noPoints: 'No recorded values in this period.',
  historyUnavailable: 'This hub keeps no device history yet.',
  audit: 'Audit log',
  needsSignIn: 'Sign in to see this.',
  actions: 'Actions',
  results: 'Results',
  reply: 'Reply',
  ok: 'ok',
  failed: 'failed',
  loading: 'Loading…',
  apiDocs: 'API reference',
  time: 'Time',
  said: 'Said',
  kind: 'What',
  actor: 'Who',
  subject: 'Subject',
  source: 'From',
  request: 'Request body',
  response: 'Response',
  error: 'Error',
} as const;

export type TextKey = keyof typeof en;

const zh: Record<TextKey, string> = {
  appName: 'Steward 管家',
  navHome: '家',
  navConversation: '对话',
  navPairing: '配对与接入',
  navHistory: '历史',
  navDocs: '接口',
  language: '语言',
  signIn: '登录',
  signOut: '退出',
  signInTitle: '用管理员令牌登录',
  signInHelp: '令牌在中枢的数据文件夹里，文件名是 admin-token。',
  adminToken: '管理员令牌',
  signedIn: '已登录',
  readOnly: '只读：登录后才能控制设备',
  live: '实时',
  polling: '每隔几秒更新',
  reconnecting: '正在重新连接…',
  online: '在线',
  offline: '离线',
  on: '开',
  off: '关',
  yes: '是',
  no: '否',
  locked: '已锁',
  unlocked: '未锁',
  running: '运行中',
  stopped: '已停止',
  start: '开始',
  pause: '暂停',
  colour: '颜色',
  confirm: '确认',
  cancel: '取消',
  pending: '等待你的确认',
  noDevices: '还没有设备。',
  send: '发送',
  commandLabel: '对你的家说点什么',
  commandPlaceholder: '打开门廊灯',
  microphone: '说话：录一条语音指令',
  speak: '说话',
  stop: '停止',
  stopRecording: '停止录音并发送',
  micUnavailable: '这个浏览器在这里不能录音。',
  you: '你',
  hub: '管家',
  heard: '听到',
  steps: '步骤',
  confirmed: '已确认',
  cancelled: '已取消',
  openWindow: '打开配对窗口',
  closeWindow: '关闭窗口',
  pairingCode: '配对码',
  pairingQr: '配对信息的二维码',
  expires: '过期时间',
  nodes: '节点',
  devices: '设备',
  adoptions: '等待接入的设备',
  adoptionsUnavailable: '这个中枢还没有接入接口。',
  noAdoptions: '没有等待接入的设备。',
  adopt: '接入',
  ignore: '忽略',
  commissionTitle: '用配网码添加设备',
  commissionNode: '节点',
  setupCode: '配网码',
  commission: '配网',
  commissioning: '正在配网…',
  commissionFound: '已找到',
  name: '名称',
  area: '区域',
  save: '保存',
  rename: '改名',
  revoke: '吊销',
  remove: '移除',
  paired: '已配对',
  recentCommands: '最近的指令',
  trajectories: '执行轨迹',
  chart: '设备历史',
  device: '设备',
  field: '数值',
  since: '时间范围',
  lastHour: '最近一小时',
  lastDay: '最近一天',
  noPoints: '这段时间没有记录。',
  historyUnavailable: '这个中枢还没有保存设备历史。',
  audit: '审计日志',
  needsSignIn: '登录后可见。',
  actions: '动作',
  results: '结果',
  reply: '回复',
  ok: '成功',
  failed: '失败',
  loading: '加载中…',
  apiDocs: '接口说明',
  time: '时间',
  said: '内容',
  kind: '事件',
  actor: '操作者',
  subject: '对象',
  source: '来源',
  request: '请求内容',
  response: '响应',
  error: '错误',
};

export type Lang = 'en' | 'zh';
const TEXTS: Record<Lang, Record<TextKey, string>> = { en, zh };
const KEY = 'steward.lang';

export function initialLang(): Lang {
  try {
    const kept = localStorage.getItem(KEY);
    if (kept === 'en' || kept === 'zh') return kept;
  } catch {
    // storage may be off; the browser's language decides
  }
  return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function keepLang(lang: Lang): void {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // not kept: the choice lasts for this page only
  }
}

export type Translate = (key: TextKey) => string;
export const translator = (lang: Lang): Translate => (key) => TEXTS[lang][key];

/** a device's or node's name in the page's language, else English, else its id */
export function nameIn(names: Record<string, string[]> | undefined, lang: Lang, fallback: string): string {
  const own = names ? Object.entries(names).find(([l]) => l === lang || l.startsWith(`${lang}-`))?.[1]?.[0] : undefined;
  const name = own ?? names?.en?.[0] ?? (names ? Object.values(names)[0]?.[0] : undefined) ?? fallback;
  // names are kept as people say them ("porch light"); a label starts with a capital
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** the words for the device model's field names; a field not listed is shown by its own name */
const FIELDS: Record<Lang, Record<string, string>> = {
  en: {
    on: 'on', brightness: 'brightness', colorTempK: 'colour temperature', hue: 'hue', saturation: 'saturation', targetC: 'target',
    ambientC: 'temperature', fridgeC: 'fridge', freezerC: 'freezer', fanSpeed: 'fan speed', position: 'position', volume: 'volume',
    muted: 'muted', playback: 'playback', input: 'input', app: 'app', channel: 'channel', mode: 'mode', status: 'status',
    batteryPct: 'battery', remainingMin: 'time left', running: 'running', program: 'program', locked: 'locked', charging: 'charging',
    chargeLimitPct: 'charge limit', level: 'level',
  },
  zh: {
    on: '开关', brightness: '亮度', colorTempK: '色温', hue: '色相', saturation: '饱和度', targetC: '目标温度', ambientC: '温度',
    fridgeC: '冷藏', freezerC: '冷冻', fanSpeed: '风速', position: '位置', volume: '音量', muted: '静音', playback: '播放',
    input: '输入源', app: '应用', channel: '频道', mode: '模式', status: '状态', batteryPct: '电量', remainingMin: '剩余时间',
    running: '运行', program: '程序', locked: '锁定', charging: '充电', chargeLimitPct: '充电上限', level: '档位',
  },
};

export function fieldName(field: string, lang: Lang): string {
  return FIELDS[lang][field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** `living_room` → "Living room" (areas are ids) */
export function areaLabel(area: string): string {
  const s = area.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
