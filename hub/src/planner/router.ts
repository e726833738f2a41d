/**
 * Which path answers a command: the rule engine first (fast, exact), the planner when the rules do not understand
 * (any clause unknown) or the text is open-ended (a situation or goal that needs several steps: `looksOpenEnded`),
 * in which case the whole request goes to the planner; when the request
 * asks for it (`planner: "always"`), never with `planner: "never"`. A yes or no to a held change always goes to the
 * rules, which hold the pending confirmation. Without a planner the hub answers as before and says that open-ended
 * requests need a model.
 */
import type { Logger } from 'pino';
import type { CommandHandler, CommandTextRequest, CommandTextResponse } from '../conversation/contract.ts';
import type { ConversationPipeline } from '../conversation/pipeline.ts';
import { joinReplies, textIn } from '../understanding/languages/index.ts';
import type { Planner, PlannerEvent } from './planner.ts';
import { looksOpenEnded } from './open-ended.ts';

export interface RouteOptions {
  /** aborted when the client goes away */
  signal?: AbortSignal;
  onEvent?: (e: PlannerEvent) => void;
}

export interface CommandRouter extends CommandHandler {
  handle(req: CommandTextRequest, opts?: RouteOptions): Promise<CommandTextResponse>;
}

const NEEDS_MODEL: Record<'en' | 'zh', string> = {
  en: 'Open-ended requests need a language model: start the hub with --llm-url and --llm-model, or --llm-gguf.',
  zh: '开放式的请求需要语言模型：启动中枢时加上 --llm-url 和 --llm-model，或 --llm-gguf。',
};

export function createCommandRouter(opts: {
  pipeline: Pick<ConversationPipeline, 'handle' | 'preview'>;
  planner?: Planner;
  logger: Logger;
  newConversationId: () => string;
}): CommandRouter {
  const { pipeline, planner } = opts;

  async function handle(req: CommandTextRequest, ro: RouteOptions = {}): Promise<CommandTextResponse> {
    const mode = req.planner ?? 'auto';
    const { planner: _mode, ...ruleReq } = req;
    if (mode === 'never') return { ...(await pipeline.handle(ruleReq)), path: 'rules' };
    const preview = pipeline.preview(req);
    const answersConfirmation = preview.kinds.some((k) => k === 'confirm' || k === 'deny');
    const rulesUnsure = preview.kinds.length === 0 || preview.kinds.includes('unknown') || looksOpenEnded(req.text);
    if (answersConfirmation || !(mode === 'always' || rulesUnsure)) return { ...(await pipeline.handle(ruleReq)), path: 'rules' };
    if (!planner) {
      const r = await pipeline.handle(ruleReq);
      return { ...r, reply: joinReplies(preview.lang, [r.reply, textIn(preview.lang, NEEDS_MODEL)]), path: 'rules' };
    }
    const conversationId = req.conversationId ?? opts.newConversationId();
    const out = await planner.plan({
      text: req.text,
      lang: preview.lang,
      ...(req.area ? { area: req.area } : {}),
      conversationId,
      ...(ro.signal ? { signal: ro.signal } : {}),
      ...(ro.onEvent ? { onEvent: ro.onEvent } : {}),
    });
    return {
      conversationId,
      reply: out.reply,
      actions: out.actions,
      awaitingConfirmation: out.awaitingConfirmation,
      ...(out.confirmation ? { confirmation: out.confirmation } : {}),
      path: 'planner',
      planner: {
        backend: planner.backendName,
        steps: out.steps,
        stop: out.stop,
        promptTokens: out.usage.promptTokens,
        completionTokens: out.usage.completionTokens,
        ...(out.error ? { error: out.error } : {}),
      },
    };
  }

  return { handle };
}
