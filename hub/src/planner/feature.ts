/**
 * The planner as a hub feature: its configuration slice (`llm`, the --llm-* flags and STEWARD_LLM_* variables), the
 * backend, the planner loop and the rules-or-planner router that POST /api/command uses. Without a backend it still
 * provides the router, which then answers with the rules and says that open-ended requests need a model.
 */
import { randomUUID } from 'node:crypto';
import { defineFeature } from '../core/feature.ts';
import { keyedConfig } from '../core/feature-options.ts';
import { confirmationRef } from '../conversation/confirmations.ts';
import { LlmConfigSchema } from './config.ts';
import { createPlanner, type Planner } from './planner.ts';
import { createCommandRouter, type CommandRouter } from './router.ts';
import { createChatBackend, exposedBy } from './setup.ts';

export interface PlannerProvides {
  /** undefined without a backend */
  planner: Planner | undefined;
  router: CommandRouter;
  /** which model answers, for the banner ("openai qwen2.5 at http://…"); undefined without a backend */
  summary: string | undefined;
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    planner: PlannerProvides;
  }
}

export const plannerFeature = () => {
  let planner: Planner | undefined;
  return defineFeature({
    name: 'planner',
    needs: ['registry', 'understanding', 'conversation'],
    // planner requests are recorded as trajectories when the hub keeps them
    uses: ['trajectories'],
    // --llm-url, --llm-model, ... (flags and kinds from the fields: core/feature-options.ts)
    config: keyedConfig('llm', LlmConfigSchema, {
      url: ['URL', 'an OpenAI-compatible chat-completions API (Ollama, llama.cpp server, vLLM, hosted) for the planner'],
      model: ['M', 'the model name to ask for (with --llm-url)'],
      keyFile: ['F', 'a file holding the API key (with --llm-url)'],
      gguf: ['FILE', 'run a GGUF model in the hub instead (needs `npm run install:llm-embedded`)'],
      hide: ['ID', 'a device or area the planner must not see or act on; repeatable'],
      maxSteps: ['N', 'model calls per request (default 6)'],
    }),
    async start(ctx, config) {
      const logger = ctx.logger.child({ component: 'planner' });
      const understanding = ctx.get('understanding');
      const { pipeline } = ctx.get('conversation');
      const trajectories = ctx.find('trajectories');
      const backend = await createChatBackend(config.url || config.gguf ? config : undefined, logger);
      planner =
        backend &&
        createPlanner({
          backend,
          view: ctx.get('registry'),
          executor: {
            // the conversation's own gate: what a confirm rule covers becomes this conversation's pending confirmation
            act: async ({ conversationId, lang, actions, delayMs }) => {
              const r = await pipeline.act(actions, { source: 'planner', lang, conversationId, ...(delayMs ? { delayMs } : {}) });
              return { results: r.results, held: r.confirmation?.actions ?? [], ...(r.confirmation ? { confirmation: confirmationRef(r.confirmation) } : {}) };
            },
          },
          say: (lang, phrase) => understanding.say(lang, phrase),
          logger,
          exposed: exposedBy(config.hide),
          ...(trajectories ? { recorder: trajectories.recorder } : {}),
          limits: { maxSteps: config.maxSteps, maxTokens: config.maxTokens, maxTokensPerCall: config.maxTokensPerCall, timeoutMs: config.requestTimeoutMs },
        });
      if (planner) logger.info({ backend: planner.backendName, model: config.model, url: config.url, gguf: config.gguf }, 'planner ready');
      const router = createCommandRouter({ pipeline, ...(planner ? { planner } : {}), logger, newConversationId: () => randomUUID() });
      const summary = planner && (config.url ? `${planner.backendName} ${config.model} at ${config.url}` : `${planner.backendName} ${config.gguf}`);
      return { planner, router, summary };
    },
    async stop() {
      await planner?.close();
      planner = undefined;
    },
  });
};
