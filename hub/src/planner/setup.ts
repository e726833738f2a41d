/**
 * Builds the planner's backend from the hub's configuration: the OpenAI-compatible backend, or the embedded
 * node-llama-cpp backend from the optional package (optional/llm-embedded), loaded by `loadEmbeddedBackend` with a
 * guarded import so the hub installs and runs without it.
 */
import type { Logger } from 'pino';
import type { DeviceView } from '../understanding/contract.ts';
import type { ChatBackend } from './backend.ts';
import type { LlmConfig } from './config.ts';
import { createOpenAiBackend } from './openai-backend.ts';
import { loadEmbeddedBackend } from './llama-cpp-loader.ts';

/** The configured backend, or undefined when none is configured (the hub then runs on rules alone). */
export async function createChatBackend(llm: LlmConfig | undefined, logger: Logger): Promise<ChatBackend | undefined> {
  if (!llm) return undefined;
  if (llm.url) {
    return createOpenAiBackend({ url: llm.url, model: llm.model!, timeoutMs: llm.callTimeoutMs, ...(llm.keyFile ? { keyFile: llm.keyFile } : {}) });
  }
  if (llm.gguf) {
    logger.info({ gguf: llm.gguf }, 'loading the embedded planner backend');
    return loadEmbeddedBackend({ ggufPath: llm.gguf });
  }
  return undefined;
}

/** Devices the planner may see: all but those hidden by id or by area. */
export function exposedBy(hide: readonly string[]): (d: DeviceView) => boolean {
  const hidden = new Set(hide);
  return (d) => !hidden.has(d.id) && !hidden.has(d.area);
}
