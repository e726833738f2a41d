/** The slots of a clause, as frame.ts reads them and the rest of the engine uses them. */
import type { DeviceType } from '@steward/device-adapters';
import type { Act, Attr, OptionField, Quantifier, Unit } from './lexicon/types.ts';

export interface ActSlot {
  act: Act;
  to?: boolean;
  weak?: boolean;
  type?: DeviceType;
  /** from a word that is also a device name ("充电"): used only when no other verb is given */
  soft?: boolean;
  /** other acts the same words name ("go back": to the dock, or to the previous track): each device does the one it can */
  alts?: Act[];
}

export interface Frame {
  acts: ActSlot[];
  /** English "on"/"off" particles: "turn the light off" */
  onoff?: boolean;
  setTo: boolean;
  by: boolean;
  attrs: Attr[];
  values: { field: OptionField; id: string }[][];
  colors: { hue: number; saturation: number; name: string }[];
  whites: { kelvin: number; name: string }[];
  dirs: { sign: 1 | -1; attr?: Attr }[];
  amount?: 'bit' | 'lot';
  extreme?: 'max' | 'min';
  nums: { value: number; unit?: Unit }[];
  delayMs?: number;
  /** "for two hours", 开两个小时: act now and undo it after this long */
  forMs?: number;
  devs: string[];
  areas: string[];
  types: { type: DeviceType; plural: boolean }[];
  typeHints: DeviceType[];
  all: boolean;
  /** "both", 两个灯, "the three lamps": how many devices the clause names, when it says */
  allCount?: number;
  pron: boolean;
  scenes: string[];
  nodes: string[];
  question: boolean;
  /** only a question mark asked: "turn on the light?" is still a request */
  questionMark: boolean;
  which: boolean;
  qattrs: Attr[];
  /** a question over many devices: "are any", "are all", "which", "how many" */
  quant?: Quantifier;
  /** the states of detected conditions a question asks after ("is the battery low": `low`) */
  states: string[];
  /** the state a yes/no question asks after: 开着吗 true, 关着吗 false (a lock: locked; a cover: open) */
  askedIs?: boolean;
  polite: boolean;
  yes: boolean;
  no: boolean;
  /** only confirmation words (and fillers) */
  onlyYesNo: boolean;
  again: boolean;
  /** unknown words right before a device word: "garage light" */
  unknownName?: string;
  gaps: string[];
  destination?: string;
  /** "too", 也, or a leading "and": the turn continues the previous command with another target */
  also: boolean;
  /** "the kitchen one": a device of the kind the conversation is about */
  one: boolean;
  /** "the second one", 第二个, "the other one" (0), "the last one" (-1): a pick among offered devices */
  pick?: number;
  /** "the rest", 其他: with an exclusion, every other device of the kinds excepted */
  rest?: boolean;
  /** "the lamp on the desk", 床边的灯: where the device is, by furniture */
  near?: { word: string; areas: string[] };
  /** "everything except the TV", 除了卧室灯: targets left out */
  except?: { devs: string[]; types: DeviceType[]; areas: string[]; near?: { word: string; areas: string[] } };
  /** the clause says something beyond fillers */
  content: boolean;
  text: string;
}

export function emptyFrame(text: string): Frame {
  return {
    acts: [], setTo: false, by: false, attrs: [], values: [], colors: [], whites: [], dirs: [], nums: [], devs: [], areas: [],
    types: [], typeHints: [], states: [], all: false, pron: false, scenes: [], nodes: [], question: false, questionMark: false, which: false, qattrs: [],
    polite: false, yes: false, no: false, onlyYesNo: false, again: false, gaps: [], content: false, text, also: false, one: false,
  };
}

