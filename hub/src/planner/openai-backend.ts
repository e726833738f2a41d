/**
 * A ChatBackend over any OpenAI-compatible chat-completions server (Ollama, llama.cpp's server, vLLM, hosted
 * Qwen or DeepSeek). Replies are validated with zod; every failure is a StewardError with a stable code and a
 * message a person can act on.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';
import { ToolCallSchema, type ChatBackend, type ChatRequest, type ChatResult } from './backend.ts';

export interface OpenAiBackendOptions {
  /** the API base, e.g. http://127.0.0.1:11434/v1 (".../chat/completions" is appended) */
  url: string;
  model: string;
  /** a file holding the API key (sent as a bearer token); none for local servers */
  keyFile?: string;
  /** per model call */
  timeoutMs?: number;
  temperature?: number;
}

const CompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable().optional(),
          // some servers send `tool_calls: null`, or omit `type`
          tool_calls: z
            .array(ToolCallSchema.extend({ type: z.literal('function').default('function') }))
            .nullable()
            .optional(),
        }),
      }),
    )
    .min(1, 'choices is empty'),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).partial().optional(),
});

/** Reads the key file once; a missing or empty file stops the hub at start with the path named. */
export function readKeyFile(path: string): string {
  let key: string;
  try {
    key = readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new StewardError('BAD_REQUEST', `cannot read the LLM key file ${path}: ${(e as Error).message}`);
  }
  if (key === '') throw new StewardError('BAD_REQUEST', `the LLM key file ${path} is empty`);
  return key;
}

/**
 * A chat completion is at most `max_tokens` tokens, a few kilobytes: a reply past this is refused, not read on
 * (a broken or hostile model server could otherwise fill the hub's memory; found by npm run fuzz's model replies).
 */
export const MAX_REPLY_BYTES = 1024 * 1024;

/** the body as text, refused with MODEL_BAD_REPLY once it passes `max` bytes */
async function readCapped(res: Response, max: number, where: string): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > max) {
      await reader.cancel().catch(() => undefined);
      throw new StewardError('MODEL_BAD_REPLY', `${where} answered more than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function completionsUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/chat/completions') ? trimmed : `${trimmed}/chat/completions`;
}

export function createOpenAiBackend(opts: OpenAiBackendOptions): ChatBackend {
  const url = completionsUrl(opts.url);
  const key = opts.keyFile === undefined ? undefined : readKeyFile(opts.keyFile);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const where = `the model server at ${url}`;

  async function complete(req: ChatRequest): Promise<ChatResult> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const body = {
      model: opts.model,
      messages: req.messages,
      ...(req.tools.length > 0 ? { tools: req.tools, tool_choice: 'auto' } : {}),
      max_tokens: req.maxTokens,
      temperature: opts.temperature ?? 0,
      stream: false,
    };
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
        signal,
      });
      text = await readCapped(res, MAX_REPLY_BYTES, where);
    } catch (e) {
      if (e instanceof StewardError) throw e;
      if (req.signal?.aborted) throw new StewardError('TIMEOUT', 'the request was cancelled');
      if (timeout.aborted) throw new StewardError('MODEL_UNAVAILABLE', `${where} did not answer within ${timeoutMs} ms`);
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new StewardError('MODEL_UNAVAILABLE', `cannot reach ${where}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
    if (!res.ok) {
      throw new StewardError('MODEL_UNAVAILABLE', `${where} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new StewardError('MODEL_BAD_REPLY', `${where} answered something that is not JSON: ${text.slice(0, 120)}`);
    }
    const r = CompletionSchema.safeParse(json);
    if (!r.success) {
      const why = r.error.issues.map((i) => `${i.path.join('.') || 'reply'}: ${i.message}`).join('; ');
      throw new StewardError('MODEL_BAD_REPLY', `${where} answered something that is not a chat completion: ${why}`);
    }
    const m = r.data.choices[0]!.message;
    const toolCalls = m.tool_calls ?? [];
    return {
      message: { role: 'assistant', content: m.content ?? null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
      usage: { promptTokens: r.data.usage?.prompt_tokens ?? 0, completionTokens: r.data.usage?.completion_tokens ?? 0 },
    };
  }

  return { name: 'openai', complete, close: async () => {} };
}
