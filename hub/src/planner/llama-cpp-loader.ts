/**
 * Loads the embedded planner backend (optional/llm-embedded: node-llama-cpp and its CPU binary) only when the owner
 * asks for it with --llm-gguf. It is not part of the base install (node-llama-cpp brings about 650 MB of binaries
 * for other platforms), so this is a guarded dynamic import of an optional package, by path: a missing package is
 * a clear message saying what to install, never a crash, and the hub without it works as before.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StewardError } from '@steward/device-adapters';
import type { ChatBackend, ToolSpec } from './backend.ts';

/** where the optional package lives in a checkout */
export const EMBEDDED_PACKAGE_DIR = fileURLToPath(new URL('../../../optional/llm-embedded/', import.meta.url));
export const EMBEDDED_INSTALL_COMMAND = 'npm run install:llm-embedded';

export interface EmbeddedBackendOptions {
  ggufPath: string;
  contextSize?: number;
  threads?: number;
  toolChoice?: 'auto' | 'required';
}

/** Is node-llama-cpp installed for the embedded backend? */
export function embeddedBackendInstalled(dir = EMBEDDED_PACKAGE_DIR): boolean {
  return existsSync(join(dir, 'node_modules', 'node-llama-cpp', 'package.json'));
}

/** The embedded backend also tells which chat template the model's file selected and its grammar's schema. */
export interface EmbeddedChatBackend extends ChatBackend {
  readonly chatTemplate: string;
  grammarSchema(tools: readonly ToolSpec[]): unknown;
}

export async function loadEmbeddedBackend(opts: EmbeddedBackendOptions, dir = EMBEDDED_PACKAGE_DIR): Promise<EmbeddedChatBackend> {
  if (!existsSync(opts.ggufPath)) throw new StewardError('BAD_REQUEST', `--llm-gguf: no file ${opts.ggufPath}`);
  if (!embeddedBackendInstalled(dir)) {
    throw new StewardError(
      'NOT_FOUND',
      `--llm-gguf needs the optional embedded backend (node-llama-cpp 3.21.1, CPU, about 85 MB), which is not installed: run \`${EMBEDDED_INSTALL_COMMAND}\` in the Steward checkout (${dir})`,
    );
  }
  const mod = (await import(pathToFileURL(join(dir, 'src', 'index.ts')).href)) as { createLlamaCppBackend?: unknown };
  if (typeof mod.createLlamaCppBackend !== 'function') throw new StewardError('INTERNAL', `${dir} does not export createLlamaCppBackend`);
  return (mod.createLlamaCppBackend as (o: EmbeddedBackendOptions) => Promise<EmbeddedChatBackend>)(opts);
}
