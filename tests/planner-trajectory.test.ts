/**
 * Planner requests leave trajectories (the loop protocol against a scripted OpenAI-compatible server, real node
 * agents, the hub's SQLite trajectory store): each model turn with its messages and usage, each tool call with its
 * arguments and the result the nodes acknowledged, the confirmation the hub requested, the reply, the tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_HOME } from './helpers/agents.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { startScriptedLlm, type ScriptedLlm } from './helpers/scripted-llm.ts';

let llm: ScriptedLlm;
let t: TestHub;

beforeAll(async () => {
  llm = await startScriptedLlm();
  t = await startTestHub({ homeFile: BENCHMARK_HOME, demo: true, nodesOnlineTimeoutMs: 90_000, llm: { url: llm.url, model: 'scripted' } });
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await llm?.close();
});

interface Step {
  kind: string;
  [k: string]: unknown;
}

describe('planner trajectories (scripted model, real node agents, SQLite)', () => {
  it('a multi-step planner request is recorded before the response: model turns, each tool call with its result, the held unlock, the reply and tokens', async () => {
    llm.script([
      { toolCalls: [{ id: 'a1', name: 'turn_on', arguments: { device_ids: ['hallway_light'] } }], usage: { prompt_tokens: 900, completion_tokens: 20 } },
      { toolCalls: [{ id: 'a2', name: 'unlock', arguments: { device_ids: ['front_door_lock'] } }, { id: 'a3', name: 'set_mode', arguments: { device_ids: ['living_room_ac'], mode: 'turbo' } }], usage: { prompt_tokens: 1000, completion_tokens: 30 } },
      { content: 'Welcome home.', usage: { prompt_tokens: 1100, completion_tokens: 5 } },
    ]);
    const { body } = await t.api.post('/api/command', { text: "I'm home, let me in", conversationId: 'traj-planner-1' });
    expect(body.path).toBe('planner');
    // committed before the response was sent: readable at once
    const list = await t.api.get('/api/trajectories?limit=5');
    expect(list.status).toBe(200);
    const traj = (list.body.trajectories as { path: string; conversationId: string; steps: Step[]; reply: string; ok: boolean; tokens: unknown; text: string; lang: string }[]).find(
      (x) => x.conversationId === 'traj-planner-1',
    )!;
    expect(traj).toMatchObject({ path: 'planner', text: "I'm home, let me in", lang: 'en', ok: true, tokens: { prompt: 3000, completion: 55 } });
    expect(traj.reply).toBe(body.reply);
    expect(traj.steps.map((s) => s.kind)).toEqual(['model', 'tool_call', 'model', 'tool_call', 'tool_call', 'model', 'confirmation', 'reply']);
    const [m1, c1, m2, c2, c3, m3, conf, reply] = traj.steps as Step[];
    // the first model turn holds the whole prompt: system, user, the catalog call and its result, the answer
    expect((m1!.messages as { role: string }[]).map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(m1!.usage).toEqual({ promptTokens: 900, completionTokens: 20 });
    // later turns hold only what is new: the tool results, then the answer
    expect((m2!.messages as { role: string }[]).map((m) => m.role)).toEqual(['tool', 'assistant']);
    expect((m3!.messages as { role: string }[]).map((m) => m.role)).toEqual(['tool', 'tool', 'assistant']);
    expect(c1).toMatchObject({ id: 'a1', name: 'turn_on', arguments: { device_ids: ['hallway_light'] }, ok: true, result: { results: [{ device_id: 'hallway_light', ok: true, state: { on: true } }] } });
    expect(c2).toMatchObject({ id: 'a2', name: 'unlock', ok: true, result: { held_for_confirmation: [{ device_id: 'front_door_lock', command: 'unlock' }] } });
    expect(c3).toMatchObject({ id: 'a3', name: 'set_mode', ok: false, result: { error: { code: 'BAD_REQUEST' } } });
    expect(conf).toMatchObject({ kind: 'confirmation', decision: 'requested', confirmationId: body.confirmation.confirmationId });
    expect(reply).toMatchObject({ kind: 'reply', text: body.reply });
  });
});
