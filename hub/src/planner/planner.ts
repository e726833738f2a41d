/**
 * The planner loop: give the model the request and the catalog, let it call tools, run each accepted call through
 * the conversation path (the same confirmation gate and gateway as every other path), hand back what the nodes
 * acknowledged, and repeat until it answers, asks, or a bound (steps, tokens, time, cancellation) stops it.
 *
 * Policy lives here, not in the prompt: the tools only name exposed devices; every call is validated before it
 * runs; held changes wait for the user's yes; device text reaches the model only as JSON data in tool results.
 */
import type { Logger } from 'pino';
import { commandEffect, findCommand, isStewardError, toErrorBody, type ErrorCode, type State } from '@steward/device-adapters';
import type { DeviceAction, DeviceView, HomeView, Lang, Phrase } from '../understanding/contract.ts';
import { joinReplies, textIn } from '../understanding/languages/index.ts';
import type { ActionResult, ConfirmationRef } from '../conversation/contract.ts';
import { sceneActions } from '../understanding/scene.ts';
import type { TrajectoryHandle, TrajectoryRecorder } from '../core/trajectory.ts';
import type { ChatBackend, ChatMessage, ToolCall } from './backend.ts';
import { buildCatalog, DEFAULT_MAX_LISTED, type Catalog } from './catalog.ts';
import { buildToolset, CATALOG_TOOL, keyFields, type ParsedCall, type Targets, type Toolset } from './tools.ts';
import { systemPrompt } from './prompt.ts';

export interface PlannerLimits {
  /** model calls per request */
  maxSteps: number;
  /** prompt + completion tokens per request, as the backend reports them */
  maxTokens: number;
  /** completion tokens per model call */
  maxTokensPerCall: number;
  /** wall-clock time per request */
  timeoutMs: number;
  /** tool calls the model may make in one step */
  maxCallsPerStep: number;
  /** homes with more exposed devices get a narrowed catalog */
  maxListedDevices: number;
}

export const DEFAULT_LIMITS: PlannerLimits = {
  maxSteps: 6,
  maxTokens: 40_000,
  maxTokensPerCall: 1024,
  timeoutMs: 60_000,
  maxCallsPerStep: 8,
  maxListedDevices: DEFAULT_MAX_LISTED,
};

/** How planner actions reach devices: the conversation path, so confirmation rules and audit apply. */
export interface PlannerExecutor {
  /**
   * Runs what may run now and holds for confirmation (in this conversation, answered by "yes") what the home's
   * `confirm` rules cover. With `delayMs`, what may run is scheduled instead.
   */
  act(req: { conversationId: string; lang: Lang; actions: DeviceAction[]; delayMs?: number }): Promise<{ results: ActionResult[]; held: DeviceAction[]; confirmation?: ConfirmationRef }>;
}

/** What one request holds for the user's yes: one confirmation record for all of it (the newest supersedes older ones). */
interface Holding {
  actions: DeviceAction[];
  delayMs: number | undefined;
  confirmation?: ConfirmationRef;
}

export type PlannerEvent =
  | { type: 'step'; step: number; promptTokens: number; completionTokens: number; ms: number }
  | { type: 'tool_call'; step: number; id: string; name: string; arguments: unknown }
  | { type: 'tool_result'; step: number; id: string; name: string; ok: boolean; result: unknown };

export type StopReason = 'answered' | 'asked' | 'steps' | 'tokens' | 'time' | 'cancelled' | 'model';

export interface PlanRequest {
  text: string;
  lang: Lang;
  area?: string;
  conversationId: string;
  signal?: AbortSignal;
  onEvent?: (e: PlannerEvent) => void;
}

export interface PlanOutcome {
  reply: string;
  actions: ActionResult[];
  awaitingConfirmation: boolean;
  stop: StopReason;
  steps: number;
  usage: { promptTokens: number; completionTokens: number };
  /** the record the user's yes settles (POST /api/confirmations/:id or "yes" in this conversation) */
  confirmation?: ConfirmationRef;
  /** the model's error when stop is 'model' */
  error?: { code: ErrorCode; message: string };
}

export interface PlannerOptions {
  backend: ChatBackend;
  view: HomeView;
  executor: PlannerExecutor;
  /** the understanding engine's phrases (confirmation prompts) in the request's language */
  say: (lang: Lang, phrase: Phrase) => string;
  logger: Logger;
  /** devices the planner may see and act on (default: all); the rest do not exist for it */
  exposed?: (device: DeviceView) => boolean;
  recorder?: TrajectoryRecorder;
  limits?: Partial<PlannerLimits>;
}

export interface Planner {
  readonly backendName: string;
  readonly limits: PlannerLimits;
  plan(req: PlanRequest): Promise<PlanOutcome>;
  close(): Promise<void>;
}

/** states one read returns; the rest are counted */
const MAX_READ = 50;

type ToolOutcome = { ok: true; result: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

const STOP_TEXT: Record<'en' | 'zh', Record<'steps' | 'tokens' | 'time' | 'cancelled' | 'model', string>> = {
  en: {
    steps: 'I stopped before finishing: the request needed more steps than I may take.',
    tokens: 'I stopped before finishing: the request used up its token budget.',
    time: 'I stopped before finishing: the request took longer than allowed.',
    cancelled: 'The request was cancelled.',
    model: 'The language model is not available right now, so I could not handle this open-ended request. Simple commands still work.',
  },
  zh: {
    steps: '还没做完就停下了：这个请求需要的步骤超过了上限。',
    tokens: '还没做完就停下了：这个请求用完了它的令牌额度。',
    time: '还没做完就停下了：这个请求超过了允许的时间。',
    cancelled: '请求已取消。',
    model: '语言模型现在不可用，这个开放式请求无法处理。简单的指令仍然可以用。',
  },
};

const DONE_TEXT: Record<'en' | 'zh', (n: number) => string> = {
  en: (n) => (n === 0 ? '' : `${n} action${n === 1 ? '' : 's'} ran before that.`),
  zh: (n) => (n === 0 ? '' : `在此之前已执行了${n}个操作。`),
};

export function createPlanner(opts: PlannerOptions): Planner {
  const limits: PlannerLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const { backend, view, executor, logger } = opts;
  const exposedOf = () => view.devices().filter((d) => opts.exposed?.(d) ?? true);
  /** a question the model asked (ask_user), by conversation, until the user's next request or 10 minutes */
  const questions = new Map<string, { text: string; question: string; at: number }>();
  function rememberQuestion(conversationId: string, text: string, question: string): void {
    if (questions.size >= 1000) questions.delete(questions.keys().next().value!);
    questions.set(conversationId, { text, question, at: Date.now() });
  }
  function takeQuestion(conversationId: string): { text: string; question: string } | undefined {
    const q = questions.get(conversationId);
    questions.delete(conversationId);
    return q && Date.now() - q.at < 10 * 60_000 ? q : undefined;
  }
  /** tools depend on the listed devices and the home's structure, not on state: reuse them between requests */
  const toolCache = new Map<string, Toolset>();
  function toolsFor(catalog: Catalog, exposed: readonly DeviceView[]): Toolset {
    const key = `${view.version}|${catalog.devices.map((d) => d.id).join(',')}|${catalog.scenes.map((s) => s.id).join(',')}|${catalog.groupTypes.join(',')}`;
    let tools = toolCache.get(key);
    if (!tools) {
      tools = buildToolset(catalog.devices, catalog.scenes, { types: catalog.groupTypes, devices: exposed });
      if (toolCache.size >= 32) toolCache.delete(toolCache.keys().next().value!);
      toolCache.set(key, tools);
    }
    return tools;
  }

  async function plan(req: PlanRequest): Promise<PlanOutcome> {
    const started = Date.now();
    const exposed = exposedOf();
    const exposedById = new Map(exposed.map((d) => [d.id, d]));
    const catalog = buildCatalog(view, exposed, { text: req.text, lang: req.lang, ...(req.area ? { area: req.area } : {}) }, limits.maxListedDevices);
    const tools = toolsFor(catalog, exposed);
    const catalogCallId = `call_${CATALOG_TOOL}`;
    // the model asked the user something last time in this conversation: the question and this answer go together
    const asked = takeQuestion(req.conversationId);
    const messages: ChatMessage[] = [
      { role: 'system', content: systemPrompt(req.lang) },
      ...(asked ? ([{ role: 'user', content: asked.text }, { role: 'assistant', content: asked.question }] as ChatMessage[]) : []),
      { role: 'user', content: req.text },
      // the catalog is the result of a call: data, in its own message, never part of the instructions
      { role: 'assistant', content: null, tool_calls: [{ id: catalogCallId, type: 'function', function: { name: CATALOG_TOOL, arguments: '{}' } }] },
      { role: 'tool', tool_call_id: catalogCallId, content: catalog.json },
    ];
    const traj: TrajectoryHandle | undefined = opts.recorder?.begin({
      conversationId: req.conversationId,
      text: req.text,
      lang: req.lang,
      ...(req.area ? { area: req.area } : {}),
      source: 'api',
      path: 'planner',
    });
    const usage = { promptTokens: 0, completionTokens: 0 };
    const actions: ActionResult[] = [];
    const held: Holding = { actions: [], delayMs: undefined };
    let recordedUpTo = 0;
    let steps = 0;
    let stop: StopReason = 'steps';
    let answer = '';
    let modelError: { code: ErrorCode; message: string } | undefined;

    const deadline = AbortSignal.timeout(limits.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    const aborted = (): StopReason | undefined => (req.signal?.aborted ? 'cancelled' : deadline.aborted ? 'time' : undefined);

    while (steps < limits.maxSteps) {
      const why = aborted();
      if (why) {
        stop = why;
        break;
      }
      const used = usage.promptTokens + usage.completionTokens;
      if (used >= limits.maxTokens) {
        stop = 'tokens';
        break;
      }
      steps++;
      const t0 = Date.now();
      let message;
      let callUsage;
      try {
        ({ message, usage: callUsage } = await backend.complete({
          messages,
          tools: tools.specs,
          maxTokens: Math.max(1, Math.min(limits.maxTokensPerCall, limits.maxTokens - used)),
          signal,
        }));
      } catch (e) {
        stop = aborted() ?? 'model';
        if (stop === 'model') {
          modelError = toErrorBody(e);
          logger.warn({ conversationId: req.conversationId, err: modelError }, 'planner model call failed');
        }
        break;
      }
      const ms = Date.now() - t0;
      usage.promptTokens += callUsage.promptTokens;
      usage.completionTokens += callUsage.completionTokens;
      messages.push(message);
      traj?.step({ kind: 'model', at: t0, messages: messages.slice(recordedUpTo), usage: callUsage, ms });
      recordedUpTo = messages.length;
      req.onEvent?.({ type: 'step', step: steps, promptTokens: callUsage.promptTokens, completionTokens: callUsage.completionTokens, ms });

      const calls = message.tool_calls ?? [];
      if (calls.length === 0) {
        stop = 'answered';
        answer = (message.content ?? '').trim();
        break;
      }
      // a reply that overran the budget is not acted on
      if (usage.promptTokens + usage.completionTokens > limits.maxTokens) {
        stop = 'tokens';
        break;
      }
      let question: string | undefined;
      for (const [i, call] of calls.entries()) {
        const t1 = Date.now();
        req.onEvent?.({ type: 'tool_call', step: steps, id: call.id, name: call.function.name, arguments: safeJson(call.function.arguments) });
        let outcome: ToolOutcome;
        if (i >= limits.maxCallsPerStep) {
          outcome = { ok: false, error: { code: 'BAD_REQUEST', message: `at most ${limits.maxCallsPerStep} tool calls per step; this one was not run` } };
        } else if (question !== undefined || aborted()) {
          outcome = { ok: false, error: { code: 'BAD_REQUEST', message: 'not run: the request ended before this call' } };
        } else {
          const parsed = tools.parse(call);
          if (!parsed.ok) outcome = { ok: false, error: parsed.error };
          else if (parsed.call.kind === 'ask') {
            question = parsed.call.question;
            outcome = { ok: true, result: { asked: true } };
          } else outcome = await runCall(parsed.call, req, exposed, exposedById, catalog.json, actions, held);
        }
        const content = JSON.stringify(outcome.ok ? outcome.result : { error: outcome.error });
        messages.push({ role: 'tool', tool_call_id: call.id, content });
        traj?.step({
          kind: 'tool_call',
          at: t1,
          id: call.id,
          name: call.function.name,
          arguments: safeJson(call.function.arguments),
          result: outcome.ok ? outcome.result : { error: outcome.error },
          ok: outcome.ok,
          ms: Date.now() - t1,
        });
        req.onEvent?.({ type: 'tool_result', step: steps, id: call.id, name: call.function.name, ok: outcome.ok, result: outcome.ok ? outcome.result : { error: outcome.error } });
      }
      if (question !== undefined) {
        stop = 'asked';
        answer = question;
        rememberQuestion(req.conversationId, req.text, question);
        break;
      }
    }

    // the tool messages of a step that ended the loop belong to the trajectory too
    if (recordedUpTo < messages.length && traj) {
      traj.step({ kind: 'model', at: Date.now(), messages: messages.slice(recordedUpTo), ms: 0 });
    }
    const replyParts: string[] = [];
    if (stop === 'answered' || stop === 'asked') {
      // a model that ends without words: the hub says what ran
      const ran = actions.filter((a) => a.ok).map((a) => ({ deviceId: a.deviceId, command: a.command, params: a.params }));
      if (answer) replyParts.push(answer);
      else if (ran.length > 0) replyParts.push(opts.say(req.lang, { key: 'done', actions: ran }));
    } else {
      replyParts.push(textIn(req.lang, { en: STOP_TEXT.en[stop], zh: STOP_TEXT.zh[stop] }));
      const ran = actions.filter((a) => a.ok).length;
      if (ran > 0) replyParts.push(textIn(req.lang, { en: DONE_TEXT.en(ran), zh: DONE_TEXT.zh(ran) }));
    }
    // the hub, not the model, words what waits for the user's yes
    if (held.actions.length > 0) {
      replyParts.push(opts.say(req.lang, { key: 'confirmPrompt', actions: held.actions }));
      traj?.step({ kind: 'confirmation', at: Date.now(), decision: 'requested', ...(held.confirmation ? { confirmationId: held.confirmation.confirmationId } : {}) });
    }
    const reply = joinReplies(req.lang, replyParts);
    traj?.step({ kind: 'reply', at: Date.now(), text: reply });
    traj?.finish({ reply, ok: stop === 'answered' || stop === 'asked', tokens: { prompt: usage.promptTokens, completion: usage.completionTokens } });
    logger.info(
      { conversationId: req.conversationId, steps, stop, ms: Date.now() - started, ...usage, actions: actions.length, held: held.actions.length },
      'planner finished',
    );
    return {
      reply,
      actions,
      awaitingConfirmation: held.actions.length > 0,
      ...(held.confirmation ? { confirmation: held.confirmation } : {}),
      stop,
      steps,
      usage,
      ...(modelError ? { error: modelError } : {}),
    };
  }

  /** Targets to device ids, only among exposed devices that have the command. */
  function resolveTargets(targets: Targets, command: string | undefined, exposed: readonly DeviceView[], exposedById: Map<string, DeviceView>): string[] | { code: string; message: string } {
    if ('deviceIds' in targets) {
      const unknown = targets.deviceIds.filter((id) => !exposedById.has(id));
      if (unknown.length > 0) return { code: 'UNKNOWN_DEVICE', message: `no device ${unknown.join(', ')}` };
      return targets.deviceIds;
    }
    const { type, area } = targets.group;
    if (area !== undefined && !view.areas().some((a) => a.id === area)) return { code: 'BAD_REQUEST', message: `no area ${area}` };
    const ids = exposed
      .filter((d) => d.type === type && (area === undefined || d.area === area))
      .filter((d) => {
        if (command === undefined) return true;
        try {
          findCommand(d, command);
          return true;
        } catch {
          return false;
        }
      })
      .map((d) => d.id);
    if (ids.length === 0) return { code: 'UNKNOWN_DEVICE', message: `no ${type}${area ? ` in ${area}` : ''}${command ? ` can ${command}` : ''}` };
    return ids;
  }

  /** Checks each action against its device before anything runs: a bad value is the model's to correct. */
  function precheck(actions: readonly DeviceAction[], exposedById: Map<string, DeviceView>): { code: string; message: string } | undefined {
    const predicted = new Map<string, State>();
    for (const a of actions) {
      const d = exposedById.get(a.deviceId)!;
      const before = predicted.get(d.id) ?? view.state(d.id) ?? {};
      try {
        predicted.set(d.id, { ...before, ...commandEffect(d, before, a.command, a.params) });
      } catch (e) {
        const body = toErrorBody(e);
        return { code: body.code, message: `${d.id}: ${body.message}` };
      }
    }
    return undefined;
  }

  function resultRows(results: readonly ActionResult[], exposedById: Map<string, DeviceView>) {
    return results.map((r) => {
      const d = exposedById.get(r.deviceId);
      const state = r.state && d ? Object.fromEntries(keyFields(d).filter((f) => f in r.state!).map((f) => [f, r.state![f]])) : r.state;
      return r.ok ? { device_id: r.deviceId, ok: true, state } : { device_id: r.deviceId, ok: false, error: r.error };
    });
  }

  async function runActions(
    deviceActions: DeviceAction[],
    req: PlanRequest,
    exposedById: Map<string, DeviceView>,
    actions: ActionResult[],
    held: Holding,
    delayMs?: number,
  ): Promise<ToolOutcome> {
    const bad = precheck(deviceActions, exposedById);
    if (bad) return { ok: false, error: bad };
    const r = await executor.act({ conversationId: req.conversationId, lang: req.lang, actions: deviceActions, ...(delayMs ? { delayMs } : {}) });
    actions.push(...r.results);
    if (r.held.length > 0) {
      if (held.actions.length > 0 && held.delayMs === delayMs) {
        // the new record superseded the earlier one: hold everything this request holds together, so one yes runs it all
        const again = await executor.act({ conversationId: req.conversationId, lang: req.lang, actions: [...held.actions, ...r.held], ...(delayMs ? { delayMs } : {}) });
        actions.push(...again.results);
        held.actions = again.held;
        if (again.confirmation) held.confirmation = again.confirmation;
      } else {
        held.actions = [...r.held];
        held.delayMs = delayMs;
        if (r.confirmation) held.confirmation = r.confirmation;
      }
    }
    const result: Record<string, unknown> = {};
    if (r.results.length > 0) result.results = resultRows(r.results, exposedById);
    if (delayMs) result.scheduled_in_minutes = Math.round(delayMs / 6000) / 10;
    if (r.held.length > 0) {
      result.held_for_confirmation = r.held.map((a) => ({ device_id: a.deviceId, command: a.command }));
      result.note = 'the hub asks the user to confirm these; they have not run';
    }
    return { ok: true, result };
  }

  async function runCall(
    call: Exclude<ParsedCall, { kind: 'ask' }>,
    req: PlanRequest,
    exposed: readonly DeviceView[],
    exposedById: Map<string, DeviceView>,
    catalogJson: string,
    actions: ActionResult[],
    held: Holding,
  ): Promise<ToolOutcome> {
    try {
      switch (call.kind) {
        case 'catalog':
          return { ok: true, result: JSON.parse(catalogJson) as Record<string, unknown> };
        case 'read': {
          const ids = resolveTargets(call.targets, undefined, exposed, exposedById);
          if (!Array.isArray(ids)) return { ok: false, error: ids };
          const shown = ids.slice(0, MAX_READ);
          return {
            ok: true,
            result: { states: Object.fromEntries(shown.map((id) => [id, view.state(id) ?? null])), ...(ids.length > shown.length ? { more: ids.length - shown.length } : {}) },
          };
        }
        case 'scene': {
          const scene = view.scenes().find((s) => s.id === call.sceneId);
          if (!scene || !Object.keys(scene.states).every((id) => exposedById.has(id))) return { ok: false, error: { code: 'NOT_FOUND', message: `no scene ${call.sceneId}` } };
          return await runActions(sceneActions(scene, { devices: exposedById }), req, exposedById, actions, held);
        }
        case 'act':
        case 'schedule': {
          const act = call.kind === 'act' ? call : call.call;
          const ids = resolveTargets(act.targets, act.command, exposed, exposedById);
          if (!Array.isArray(ids)) return { ok: false, error: ids };
          const deviceActions = ids.map((deviceId) => ({ deviceId, command: act.command, params: { ...act.params } }));
          return await runActions(deviceActions, req, exposedById, actions, held, call.kind === 'schedule' ? call.delayMs : undefined);
        }
      }
    } catch (e) {
      if (!isStewardError(e)) logger.error({ err: e }, 'planner tool failed');
      return { ok: false, error: toErrorBody(e) };
    }
  }

  return {
    backendName: backend.name,
    limits,
    plan,
    close: () => backend.close(),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
