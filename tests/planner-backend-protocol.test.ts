/**
 * The OpenAI-compatible backend's protocol against a scripted chat-completions server on loopback: what it sends,
 * how it validates what comes back, and the typed errors for every way a model server can fail.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiBackend, completionsUrl } from '@steward/hub/planner/openai-backend.ts';
import { LlmConfigSchema, llmConfigFromFlags } from '@steward/hub/planner/config.ts';
import { createChatBackend } from '@steward/hub/planner/setup.ts';
import { plannerFeature } from '@steward/hub/planner/feature.ts';
import { readOptions } from '@steward/hub/cli-options.ts';
import type { ChatRequest } from '@steward/hub/planner/backend.ts';
import { pino } from 'pino';
import { startScriptedLlm, type ScriptedLlm } from './helpers/scripted-llm.ts';

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(async () => {
  await llm?.close();
});

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'hi' },
  ],
  tools: [{ type: 'function', function: { name: 'turn_on', description: 'Turn on', parameters: { type: 'object', properties: {} } } }],
  maxTokens: 64,
  ...over,
});

describe('OpenAI-compatible backend protocol (scripted server)', () => {
  it('sends model, messages, tools, tool_choice, max_tokens and the key from the key file; returns the tool calls and usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-llm-key-'));
    writeFileSync(join(dir, 'key'), 'sk-test-123\n');
    const backend = createOpenAiBackend({ url: llm.url, model: 'qwen-test', keyFile: join(dir, 'key') });
    llm.script([{ toolCalls: [{ id: 'x1', name: 'turn_on', arguments: { device_ids: ['a'] } }], usage: { prompt_tokens: 321, completion_tokens: 12 } }]);
    const r = await backend.complete(request());
    expect(r).toEqual({
      message: { role: 'assistant', content: null, tool_calls: [{ id: 'x1', type: 'function', function: { name: 'turn_on', arguments: '{"device_ids":["a"]}' } }] },
      usage: { promptTokens: 321, completionTokens: 12 },
    });
    const sent = llm.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-test-123');
    expect(sent.body).toMatchObject({ model: 'qwen-test', max_tokens: 64, tool_choice: 'auto', stream: false, temperature: 0 });
    expect(sent.body.messages).toEqual(request().messages);
    expect(sent.body.tools).toEqual(request().tools);
  });

  it('accepts a plain answer with tool_calls null and no usage', async () => {
    const backend = createOpenAiBackend({ url: `${llm.url}/`, model: 'm' });
    llm.script([{ raw: JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'Hello', tool_calls: null } }] }) }]);
    expect(await backend.complete(request())).toEqual({ message: { role: 'assistant', content: 'Hello' }, usage: { promptTokens: 0, completionTokens: 0 } });
    expect(llm.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('an HTTP error, a non-JSON body and a reply that is not a chat completion are typed errors naming the server', async () => {
    const backend = createOpenAiBackend({ url: llm.url, model: 'm' });
    llm.script([{ status: 500, raw: '{"error":"model not loaded"}' }, { raw: '<html>proxy</html>' }, { raw: JSON.stringify({ choices: [] }) }, { raw: JSON.stringify({ choices: [{ message: { role: 'assistant', content: null, tool_calls: [{ id: 1, function: { name: 'x' } }] } }] }) }]);
    await expect(backend.complete(request())).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', message: `the model server at ${llm.url}/chat/completions answered HTTP 500: {"error":"model not loaded"}` });
    await expect(backend.complete(request())).rejects.toMatchObject({ code: 'MODEL_BAD_REPLY', message: expect.stringMatching(/answered something that is not JSON: <html>proxy<\/html>$/) });
    await expect(backend.complete(request())).rejects.toMatchObject({ code: 'MODEL_BAD_REPLY', message: expect.stringMatching(/not a chat completion: choices: choices is empty$/) });
    await expect(backend.complete(request())).rejects.toMatchObject({ code: 'MODEL_BAD_REPLY', message: expect.stringMatching(/choices\.0\.message\.tool_calls\.0\.id: .*expected string.*choices\.0\.message\.tool_calls\.0\.function\.arguments/) });
  });

  it('a server slower than the call timeout fails with MODEL_UNAVAILABLE; a cancelled request with TIMEOUT', async () => {
    const backend = createOpenAiBackend({ url: llm.url, model: 'm', timeoutMs: 200 });
    llm.script([{ content: 'slow', delayMs: 1000 }, { content: 'slow', delayMs: 1000 }]);
    await expect(backend.complete(request())).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', message: `the model server at ${llm.url}/chat/completions did not answer within 200 ms` });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(createOpenAiBackend({ url: llm.url, model: 'm' }).complete(request({ signal: ac.signal }))).rejects.toMatchObject({ code: 'TIMEOUT', message: 'the request was cancelled' });
  });

  it('an unreachable server fails with MODEL_UNAVAILABLE naming the cause', async () => {
    const dead = await startScriptedLlm();
    const url = dead.url;
    await dead.close();
    await expect(createOpenAiBackend({ url, model: 'm' }).complete(request())).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', message: `cannot reach the model server at ${url}/chat/completions: ECONNREFUSED` });
  });

  it('configuration: flags over STEWARD_LLM_* variables; a URL needs a model; URL and GGUF exclude each other; a missing key file is named', async () => {
    expect(llmConfigFromFlags({}, {})).toBeUndefined();
    expect(llmConfigFromFlags({ 'llm-model': 'a' }, { STEWARD_LLM_URL: 'http://127.0.0.1:1/v1', STEWARD_LLM_MODEL: 'b', STEWARD_LLM_KEY_FILE: '/k' })).toEqual({ url: 'http://127.0.0.1:1/v1', model: 'a', keyFile: '/k' });
    // the hub's CLI: the planner feature's options, flags over environment variables
    const groups = [{ key: 'llm', options: plannerFeature().config!.options }];
    const { input } = readOptions(groups, ['--llm-model', 'a', '--llm-hide', 'study', '--llm-hide', 'car', '--llm-max-steps', '3'], { STEWARD_LLM_URL: 'http://127.0.0.1:1/v1', STEWARD_LLM_MODEL: 'b' });
    expect(input).toEqual({ llm: { url: 'http://127.0.0.1:1/v1', model: 'a', hide: ['study', 'car'], maxSteps: 3 } });
    const issues = (input: unknown) => LlmConfigSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ url: 'http://127.0.0.1:1/v1' })).toEqual(['model: --llm-url needs --llm-model']);
    expect(issues({ url: 'http://127.0.0.1:1/v1', model: 'm', gguf: '/m.gguf' })).toEqual(['gguf: give --llm-url or --llm-gguf, not both']);
    expect(issues({ url: 'ftp://x', model: 'm' })).toEqual(['url: llm.url must be an http(s) URL']);
    expect(() => createOpenAiBackend({ url: llm.url, model: 'm', keyFile: '/nonexistent/key' })).toThrow(/cannot read the LLM key file \/nonexistent\/key/);
    expect(completionsUrl('http://h:1/v1/chat/completions')).toBe('http://h:1/v1/chat/completions');
  });

  it('--llm-gguf with a missing file is refused with the path named', async () => {
    const cfg = LlmConfigSchema.parse({ gguf: '/nowhere/model.gguf' });
    await expect(createChatBackend(cfg, pino({ level: 'silent' }))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: '--llm-gguf: no file /nowhere/model.gguf' });
  });
});
