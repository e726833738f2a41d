/**
 * The embedded planner backend (optional/llm-embedded, node-llama-cpp 3.21.1 on the CPU) with a model the test
 * writes itself: a tiny llama with random weights, a small vocabulary and a ChatML template. It knows nothing, so
 * this checks loading, the chat template and the schema-constrained output, not a model's wits.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildToolset } from '@steward/hub/planner/tools.ts';
import { ChatMessageSchema, type ToolSpec } from '@steward/hub/planner/backend.ts';
import { EMBEDDED_INSTALL_COMMAND, embeddedBackendInstalled, loadEmbeddedBackend, type EmbeddedChatBackend } from '@steward/hub/planner/llama-cpp-loader.ts';
import { homeViewFromHome } from '@steward/hub/understanding/index.ts';
import { encodeGguf } from './helpers/gguf-writer.ts';
import { tinyLlamaVocabulary, writeTinyLlama } from './helpers/tiny-llama.ts';
import { benchmarkHome } from './helpers/agents.ts';

const installed = embeddedBackendInstalled();
const dir = mkdtempSync(join(tmpdir(), 'steward-gguf-'));
const gguf = join(dir, 'tiny-llama.gguf');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the GGUF writer', () => {
  it('writes the header, typed metadata and 32-byte aligned tensor data', () => {
    const b = encodeGguf({ 'general.architecture': { type: 'string', value: 'llama' }, n: { type: 'u32', value: 7 } }, [{ name: 'w', dims: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }]);
    expect(b.subarray(0, 4).toString('ascii')).toBe('GGUF');
    expect(b.readUInt32LE(4)).toBe(3);
    expect(b.readBigUInt64LE(8)).toBe(1n);
    expect(b.readBigUInt64LE(16)).toBe(2n);
    // first key: length-prefixed string, then the value type (8 = string)
    expect(b.readBigUInt64LE(24)).toBe(20n);
    expect(b.subarray(32, 52).toString()).toBe('general.architecture');
    expect(b.readUInt32LE(52)).toBe(8);
    // the tensor data is the last 32-aligned block
    expect(b.length % 32).toBe(0);
    const data = b.subarray(b.length - 32, b.length - 8);
    expect(Array.from(new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + 24)))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes a tiny llama of a few hundred KB with ChatML control tokens', () => {
    const bytes = writeTinyLlama(gguf);
    expect(statSync(gguf).size).toBe(bytes);
    expect(bytes).toBeGreaterThan(100_000);
    expect(bytes).toBeLessThan(1_000_000);
    const v = tinyLlamaVocabulary();
    expect(v.tokens.slice(3, 5)).toEqual(['<|im_start|>', '<|im_end|>']);
    expect(v.tokens.filter((t) => /^<0x[0-9A-F]{2}>$/.test(t))).toHaveLength(256);
  });
});

describe.skipIf(!installed)(`embedded backend (node-llama-cpp)${installed ? '' : ` — SKIPPED: not installed; run ${EMBEDDED_INSTALL_COMMAND}`}`, () => {
  let backend: EmbeddedChatBackend;
  const home = benchmarkHome();
  const view = homeViewFromHome(home);
  // a few real tools of the benchmark home, from the same trait schemas the planner uses
  const tools: ToolSpec[] = buildToolset(view.devices().filter((d) => ['living_room_light', 'floor_lamp', 'living_room_ac'].includes(d.id)), []).specs.filter((t) =>
    ['turn_on', 'turn_off', 'set_brightness'].includes(t.function.name),
  );
  const toolNames = tools.map((t) => t.function.name);

  beforeAll(async () => {
    writeTinyLlama(gguf);
    backend = await loadEmbeddedBackend({ ggufPath: gguf, contextSize: 4096, threads: 1, toolChoice: 'required' });
  }, 120_000);
  afterAll(async () => {
    await backend?.close();
  });

  it('loads the model and answers with a tool call that parses against the tool schema, naming a tool from the enum', async () => {
    expect(backend.name).toBe('llama-cpp');
    // node-llama-cpp recognised the model's chat template
    expect(backend.chatTemplate).toBe('ChatML');
    expect(toolNames).toEqual(['turn_on', 'turn_off', 'set_brightness']);
    const r = await backend.complete({ messages: [{ role: 'system', content: 'You control a home.' }, { role: 'user', content: 'turn on the light' }], tools, maxTokens: 200 });
    expect(ChatMessageSchema.parse(r.message)).toEqual(r.message);
    expect(r.message.tool_calls).toHaveLength(1);
    const call = r.message.tool_calls![0]!;
    expect(toolNames).toContain(call.function.name);
    const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
    // the answer is inside the grammar's schema: that tool's (bounded) arguments, device ids from its enum
    const grammarSchema = z.fromJSONSchema(backend.grammarSchema(tools) as never);
    expect(grammarSchema.safeParse({ tool: call.function.name, arguments: args }).success).toBe(true);
    expect(grammarSchema.safeParse({ tool: call.function.name, arguments: { device_ids: ['front_door_lock'] } }).success).toBe(false);
    expect(grammarSchema.safeParse({ tool: 'unlock', arguments: {} }).success).toBe(false);
    for (const id of (args.device_ids as string[] | undefined) ?? []) expect(['living_room_light', 'floor_lamp', 'living_room_ac']).toContain(id);
    // the ChatML template rendered the prompt: the prompt counts its control tokens
    expect(r.usage.promptTokens).toBeGreaterThan(20);
    expect(r.usage.completionTokens).toBeGreaterThan(3);
    expect(r.usage.completionTokens).toBeLessThanOrEqual(200);
  }, 300_000);

  it('with tool results in the history (marked as data), still answers inside the schema', async () => {
    const r = await backend.complete({
      messages: [
        { role: 'user', content: 'turn on the light' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'turn_on', arguments: '{"device_ids":["floor_lamp"]}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"device_id":"floor_lamp","ok":true,"state":{"on":true}}' },
      ],
      tools,
      maxTokens: 200,
    });
    expect(toolNames).toContain(r.message.tool_calls?.[0]?.function.name);
  }, 300_000);
});

describe('without the optional package', () => {
  it('says what to install', async () => {
    await expect(loadEmbeddedBackend({ ggufPath: gguf }, join(dir, 'nowhere'))).rejects.toThrow(/npm run install:llm-embedded/);
    await expect(loadEmbeddedBackend({ ggufPath: join(dir, 'missing.gguf') })).rejects.toThrow(/no file/);
  });
});

