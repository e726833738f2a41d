import { z } from 'zod';

/** The planner's configuration (--llm-* flags, STEWARD_LLM_* variables). Without `url` or `gguf` there is no planner. */
export const LlmConfigSchema = z
  .object({
    /** an OpenAI-compatible API base, e.g. http://127.0.0.1:11434/v1 */
    url: z.string().regex(/^https?:\/\/\S+$/, 'llm.url must be an http(s) URL').optional(),
    model: z.string().min(1).max(200).optional(),
    /** a file holding the API key, for hosted servers */
    keyFile: z.string().min(1).optional(),
    /** a GGUF file for the embedded backend (optional package @steward/llm-embedded) */
    gguf: z.string().min(1).optional(),
    /** per model call */
    callTimeoutMs: z.number().int().positive().max(600_000).default(30_000),
    /** per request: the whole loop */
    requestTimeoutMs: z.number().int().positive().max(600_000).default(60_000),
    maxSteps: z.number().int().min(1).max(50).default(6),
    maxTokens: z.number().int().min(100).max(1_000_000).default(40_000),
    maxTokensPerCall: z.number().int().min(16).max(32_000).default(1024),
    /** device or area ids the planner must not see or act on */
    hide: z.array(z.string().regex(/^[a-z0-9_]+$/)).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.url && c.gguf) ctx.addIssue({ code: 'custom', path: ['gguf'], message: 'give --llm-url or --llm-gguf, not both' });
    if (c.url && !c.model) ctx.addIssue({ code: 'custom', path: ['model'], message: '--llm-url needs --llm-model' });
    if (c.keyFile && !c.url) ctx.addIssue({ code: 'custom', path: ['keyFile'], message: '--llm-key-file goes with --llm-url' });
  });

export type LlmConfig = z.infer<typeof LlmConfigSchema>;
export type LlmConfigInput = z.input<typeof LlmConfigSchema>;

/**
 * The `llm` config from the benchmark's flags, falling back to STEWARD_LLM_* variables; undefined when neither names a
 * backend. (The hub's CLI reads the same flags from the planner feature's options.)
 */
export function llmConfigFromFlags(
  flags: { 'llm-url'?: string; 'llm-model'?: string; 'llm-key-file'?: string; 'llm-gguf'?: string; 'llm-hide'?: string[]; 'llm-max-steps'?: string },
  env: NodeJS.ProcessEnv,
): LlmConfigInput | undefined {
  const url = flags['llm-url'] ?? env.STEWARD_LLM_URL;
  const gguf = flags['llm-gguf'] ?? env.STEWARD_LLM_GGUF;
  const model = flags['llm-model'] ?? env.STEWARD_LLM_MODEL;
  const keyFile = flags['llm-key-file'] ?? env.STEWARD_LLM_KEY_FILE;
  if (!url && !gguf && !model && !keyFile) return undefined;
  const steps = flags['llm-max-steps'] === undefined ? undefined : Number(flags['llm-max-steps']);
  return {
    ...(url ? { url } : {}),
    ...(gguf ? { gguf } : {}),
    ...(model ? { model } : {}),
    ...(keyFile ? { keyFile } : {}),
    ...(flags['llm-hide'] ? { hide: flags['llm-hide'] } : {}),
    ...(steps !== undefined ? { maxSteps: steps } : {}),
  };
}
