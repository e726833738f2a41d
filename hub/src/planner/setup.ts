/**
 * Builds the planner from the hub's configuration: the OpenAI-compatible backend, or the embedded node-llama-cpp
 * backend from the optional package `@steward/llm-embedded`, loaded with a guarded dynamic import so the hub
 * installs and runs without it.
 */
import type { Logger } from 'pino';
import { StewardError } from '@steward/device-adapters';
import type { DeviceView } from '../understanding/contract.ts';
import type { ChatBackend } from './backend.ts';
import type { LlmConfig } from './config.ts';
import { createOpenAiBackend } from './openai-backend.ts';

export const EMBEDDED_PACKAGE = '@steward/llm-embedded';

interface EmbeddedModule {
  createLlamaCppBackend(opts: { ggufPath: string; logger?: Logger }): Promise<ChatBackend>;
}

/** The configured backend, or undefined when none is configured (the hub then runs on rules alone). */
export async function createChatBackend(llm: LlmConfig | undefined, logger: Logger): Promise<ChatBackend | undefined> {
  if (!llm) return undefined;
  if (llm.url) {
    return createOpenAiBackend({ url: llm.url, model: llm.model!, timeoutMs: llm.callTimeoutMs, ...(llm.keyFile ? { keyFile: llm.keyFile } : {}) });
  }
  if (llm.gguf) {
    let mod: EmbeddedModule;
    try {
      // a variable specifier: type-checking and bundling must not require the optional package
      const specifier = EMBEDDED_PACKAGE;
      mod = (await import(specifier)) as EmbeddedModule;
    } catch (e) {
      throw new StewardError(
        'BAD_REQUEST',
        `--llm-gguf needs the optional package ${EMBEDDED_PACKAGE} (node-llama-cpp): install it with \`npm install --prefix optional/llm-embedded\` or use --llm-url (${(e as Error).message})`,
      );
    }
    if (typeof mod.createLlamaCppBackend !== 'function') throw new StewardError('INTERNAL', `${EMBEDDED_PACKAGE} has no createLlamaCppBackend`);
    return mod.createLlamaCppBackend({ ggufPath: llm.gguf, logger });
  }
  return undefined;
}

/** Devices the planner may see: all but those hidden by id or by area. */
export function exposedBy(hide: readonly string[]): (d: DeviceView) => boolean {
  const hidden = new Set(hide);
  return (d) => !hidden.has(d.id) && !hidden.has(d.area);
}
