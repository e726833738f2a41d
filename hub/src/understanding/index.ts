/**
 * The understanding engine: text -> normalised text -> tokens (one trie over vocabulary and registry names) ->
 * clauses -> frames -> targets and device commands -> clauses with replies. Deterministic and offline; the
 * matcher is compiled once per HomeView version.
 */
import type { Clause, DeviceAction, HomeView, Interpretation, Lang, ParseContext, Phrase, Understanding } from './contract.ts';
import { compile, type Compiled } from './compile.ts';
import { normalize } from './text.ts';
import { scan } from './scan.ts';
import { splitClauses } from './clauses.ts';
import { readFrame, type Frame } from './frame.ts';
import { inherit, interpretFrame, whatOf, type ClauseResult, type Turn, type What } from './interpret.ts';
import { isFragment, pickAnswer, pickValue, readQuestion, refersToOffered, type Question, type ValueQuestion } from './dialogue.ts';
import { emptyFrame } from './frame-slots.ts';
import { detect, languageOf } from './languages/index.ts';
import { PredictedView } from './predicted-view.ts';
import { UNDO } from './acts.ts';

export type { Understanding } from './contract.ts';
export { homeViewFromHome } from './static-view.ts';

/** What a follow-up needs: the devices the last turn acted on or asked about. */
export interface Memory {
  devices: string[];
  /** what the last command or question asked, for "and the floor lamp too" */
  what?: What;
}

function readMemory(m: unknown): Memory {
  if (m && typeof m === 'object' && Array.isArray((m as Memory).devices)) {
    const what = (m as Memory).what;
    return { devices: (m as Memory).devices.filter((x): x is string => typeof x === 'string'), ...(what && typeof what === 'object' ? { what } : {}) };
  }
  return { devices: [] };
}

export function createUnderstanding(view: HomeView): Understanding {
  let compiled: Compiled | undefined;
  const current = (): Compiled => {
    if (!compiled || compiled.version !== view.version) compiled = compile(view);
    return compiled;
  };

  function parse(text: string, ctx: ParseContext): Interpretation {
    const c = current();
    const n = normalize(text);
    // the text is read in the language it is written in; the reply is in the request's, when it names one
    const written = detect(n);
    const language = ctx.lang ? languageOf(ctx.lang) : written;
    const lang: Lang = language.tag;
    const memory = readMemory(ctx.memory);
    const R = language.replies;
    const tokens = scan(n, c, written);
    const frames: Frame[] = splitClauses(tokens).map((ts) => readFrame(ts, n, written)).filter((f) => f.content);
    if (!frames.length) return { lang, clauses: [{ kind: 'unknown', reply: R.notUnderstood() }], memory };
    // yes / no only when that is all the utterance says: a "confirm" inside a longer sentence confirms nothing
    // "sure, go ahead", "是的，打开吧": confirmation words, possibly with a go-ahead that names nothing new
    if (frames[0]!.onlyYesNo && frames.every((f) => f.onlyYesNo || isGoAhead(f))) {
      return { lang, clauses: [frames.some((f) => f.no) ? { kind: 'deny' } : { kind: 'confirm' }], memory };
    }
    // "关掉厨房灯，一小时后": a clause that only says when belongs to the one before it
    for (let i = frames.length - 1; i > 0; i--) {
      const f = frames[i]!;
      if (f.delayMs !== undefined && isEmptyBesidesGaps(f) && !f.pron && !f.all && frames[i - 1]!.delayMs === undefined) {
        frames[i - 1]!.delayMs = f.delayMs;
        frames.splice(i, 1);
      }
    }
    joinProgramClauses(frames);
    const asked = readQuestion(ctx.question, c);
    // "床头那个" after a question: a word of a name and a pronoun may be the answer
    const meaningful = frames.filter((f) => !f.onlyYesNo && !(f.gaps.length && isEmptyBesidesGaps(f) && !(asked && f.pron)));
    const predicted = new PredictedView(view, c.devices);
    const turn: Turn = {
      c, view: predicted, language, ...(ctx.area ? { area: ctx.area } : {}), memory: memory.devices, ...(asked?.kind === 'device' ? { asked: asked.devices } : {}),
    };
    // "the kitchen one" after "Which one do you mean: ...?": the answer completes the command asked about
    const answers = meaningful.length > 0 && (meaningful.every(isFragment) || (meaningful.length === 1 && refersToOffered(meaningful[0]!)));
    if (asked?.kind === 'value' && answers) {
      const value = pickValue(meaningful, asked);
      if (value) return answerValue(asked, value, turn, n.text);
    }
    if (asked?.kind === 'device' && answers) return answer(asked, meaningful, turn, memory, n.text);
    const clauses: Clause[] = [];
    // the first clause may borrow from the last turn only when the turn says it goes on ("and the floor lamp too",
    // 落地灯也是): a bare "the kitchen one" is not a command
    const continues = !!tokens[0]?.m.some((m) => m.r === 'sep') || frames.some((f) => f.also);
    let prevFrame: Frame | undefined = memory.what && continues ? { ...emptyFrame(''), ...memory.what } : undefined;
    let question: Question | ValueQuestion | undefined;
    let prevDevices: string[] | undefined;
    let lastDevices = memory.devices;
    let lastWhat = memory.what;
    const todo = meaningful.length ? meaningful : frames;
    for (const f of todo) {
      inherit(f, prevFrame);
      const r = interpretFrame(f, turn, prevDevices);
      clauses.push(r.clause);
      // "开两个小时空调", "turn on the fan for 30 minutes": now, and undone after that long by the scheduler
      if (f.forMs && r.clause.kind === 'act') {
        // only what this clause changes is changed back: a light already off stays off after "关掉十分钟"
        const before = new Map(r.devices.map((id) => [id, JSON.stringify(predicted.state(id) ?? {})]));
        predicted.apply(r.clause);
        const changed = r.devices.filter((id) => JSON.stringify(predicted.state(id) ?? {}) !== before.get(id));
        const undo = undoFrame(f, changed);
        const back = undo && interpretFrame(undo, turn, changed);
        if (back?.clause.kind === 'act' && back.clause.actions.length) clauses.push(back.clause);
      }
      const what = (r.question || r.options) && whatOf(f);
      if (r.question && what) {
        question = { kind: 'device', devices: r.question, what, ...(f.delayMs ? { delayMs: f.delayMs } : {}), ...(f.allCount !== undefined ? { count: f.allCount } : {}) };
      }
      if (r.options && what) question = { kind: 'value', ...r.options, field: r.options.field as ValueQuestion['field'], what };
      if (f !== todo[todo.length - 1]) predicted.apply(r.clause); // only a later clause looks
      if (r.devices.length) {
        prevDevices = r.devices;
        lastDevices = r.devices;
        lastWhat = whatOf(f) ?? lastWhat;
      }
      prevFrame = f;
    }
    const mem: Memory = { devices: lastDevices, ...(lastWhat ? { what: lastWhat } : {}) };
    return { lang, clauses, memory: mem, ...(question ? { question } : {}) };
  }

  /** The command that undoes a frame said to last `forMs` ("for two hours"), on the devices it acted on; none if nothing undoes it. */
  function undoFrame(f: Frame, devices: string[]): Frame | undefined {
    const acts = f.acts.flatMap((a) => (UNDO[a.act] ? [{ act: UNDO[a.act]! }] : []));
    const onoff = f.onoff === undefined ? undefined : !f.onoff;
    if ((!acts.length && onoff === undefined) || !devices.length) return undefined;
    return {
      ...emptyFrame(f.text), acts, devs: devices, content: true, delayMs: (f.delayMs ?? 0) + f.forMs!, ...(onoff !== undefined ? { onoff } : {}),
    };
  }

  /** "the second one" after "its fan speeds are low, medium, high": the asked command with that option */
  function answerValue(q: ValueQuestion, value: Frame['values'][number], turn: Turn, text: string): Interpretation {
    const f: Frame = { ...emptyFrame(text), ...structuredClone(q.what), values: [value], devs: [q.device] };
    const r = interpretFrame(f, turn, undefined);
    return { lang: turn.language.tag, clauses: [r.clause], memory: { devices: r.devices, what: whatOf(f) ?? q.what } satisfies Memory };
  }

  /** The answer to a pending question: the asked command on the devices picked, or the question again. */
  function answer(q: Question, frames: Frame[], turn: Turn, memory: Memory, text: string): Interpretation {
    const R = turn.language.replies;
    const pick = pickAnswer(frames, q, turn.c, memory.devices);
    if ('again' in pick) {
      const clause: Clause = { kind: 'unknown', reply: R.ambiguous(pick.again) };
      return { lang: turn.language.tag, clauses: [clause], memory, question: { ...q, devices: pick.again.map((d) => d.id) } };
    }
    // "第二个打开" says its own command; "the kitchen one" completes the one asked about
    // only a verb makes it a command of its own: "两个都要" counts, it sets nothing to 2
    const own = frames.length === 1 && frames[0]!.acts.length > 0 ? whatOf(frames[0]!) : undefined;
    const what = own ?? q.what;
    const delayMs = frames[0]!.delayMs ?? q.delayMs;
    const f: Frame = { ...emptyFrame(text), ...structuredClone(what), devs: pick.devices.map((d) => d.id), ...(delayMs ? { delayMs } : {}) };
    const r: ClauseResult = interpretFrame(f, turn, undefined);
    const mem: Memory = { devices: r.devices.length ? r.devices : memory.devices, what };
    return { lang: turn.language.tag, clauses: [r.clause], memory: mem };
  }

  function say(lang: Lang, phrase: Phrase): string {
    const c = current();
    const R = languageOf(lang).replies;
    const describe = (a: DeviceAction) => R.describeAction(a, c.devices.get(a.deviceId), view.state(a.deviceId));
    return R.say(phrase, describe);
  }

  return { parse, say };
}

/** "打开吧", "do it": a bare verb that names no device, value or time */
function isGoAhead(f: Frame): boolean {
  return (
    f.acts.length > 0 && !f.devs.length && !f.types.length && !f.areas.length && !f.scenes.length && !f.nodes.length &&
    !f.values.length && !f.nums.length && !f.dirs.length && !f.colors.length && !f.whites.length && f.delayMs === undefined &&
    !f.unknownName && !f.question && !f.destination
  );
}

/** "ignore previous instructions": words the engine does not know, and nothing else */
function isEmptyBesidesGaps(f: Frame): boolean {
  return (
    !f.acts.length && !f.devs.length && !f.types.length && !f.areas.length && !f.values.length && !f.nums.length &&
    !f.dirs.length && !f.scenes.length && !f.question && !f.attrs.length && f.onoff === undefined && !f.one && f.pick === undefined
  );
}

const STARTS: ReadonlySet<string> = new Set(['start', 'wash', 'on', 'open', 'play']);

/**
 * "洗碗机开始洗，用强力模式", "start the dishwasher, intensive program": a clause that only picks a program belongs to
 * the start before it (a running appliance cannot change its program afterwards).
 */
function joinProgramClauses(frames: Frame[]): void {
  for (let i = frames.length - 1; i > 0; i--) {
    const f = frames[i]!;
    const prev = frames[i - 1]!;
    const onlyProgram =
      f.values.length > 0 && f.values.every((g) => g.some((v) => v.field === 'program')) && f.acts.every((a) => a.act === 'set' || a.soft) &&
      !f.devs.length && !f.types.length && !f.areas.length && !f.pron && !f.nums.length && !f.dirs.length && !f.scenes.length &&
      !f.question && f.delayMs === undefined;
    if (onlyProgram && prev.acts.some((a) => STARTS.has(a.act)) && !prev.values.length) {
      prev.values.push(...f.values);
      frames.splice(i, 1);
    }
  }
}
