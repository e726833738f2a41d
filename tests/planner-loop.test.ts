/**
 * The planner loop through real parts: a real hub with the benchmark home's node agents as processes, and an
 * OpenAI-compatible server on loopback answering with scripted replies. These tests check the protocol, the loop
 * and its bounds, not a model: the scripted "model" says exactly what each test needs it to say.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NodeReports } from './helpers/hub-nodes.ts';
import { BENCHMARK_HOME } from './helpers/agents.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { startPlannerHub, type PlannerHub } from './helpers/planner-hub.ts';
import { catalogRows, toolResults, type ScriptedLlm } from './helpers/scripted-llm.ts';
import { waitForNodeState } from './helpers/node-state.ts';

let llm: ScriptedLlm;
let t: TestHub;
let nodes: NodeReports;
let planner: PlannerHub | undefined;

beforeAll(async () => {
  planner = await startPlannerHub({ maxSteps: 4, maxTokens: 5000, requestTimeoutMs: 3000, callTimeoutMs: 10_000 });
  ({ llm, t, nodes } = planner);
}, 120_000);

afterAll(async () => {
  await planner?.stop();
});

beforeEach(async () => {
  await planner!.reset();
});

describe('planner loop (protocol against a scripted OpenAI-compatible server, real node agents)', () => {
  it('a multi-step open-ended request runs each tool call through the node agents and feeds back the acknowledged states', async () => {
    llm.script([
      {
        toolCalls: [
          { name: 'turn_on', arguments: { device_ids: ['living_room_ac'] } },
          { name: 'set_mode', arguments: { device_ids: ['living_room_ac'], mode: 'heat' } },
          { name: 'set_target_temperature', arguments: { device_ids: ['living_room_ac'], celsius: 24 } },
        ],
      },
      { toolCalls: [{ name: 'run_scene', arguments: { scene_id: 'movie' } }] },
      { toolCalls: [{ name: 'get_state', arguments: { device_ids: ['living_room_tv', 'floor_lamp'] } }] },
      { content: 'The living room is heating to 24 °C and movie mode is on.' },
    ]);
    const { status, body } = await t.api.post('/api/command', { text: "I'm cold and want to watch a film" });
    expect(status).toBe(200);
    expect(body.path).toBe('planner');
    expect(body.reply).toBe('The living room is heating to 24 °C and movie mode is on.');
    expect(body.planner).toMatchObject({ backend: 'openai', steps: 4, stop: 'answered', promptTokens: 400, completionTokens: 40 });
    expect(body.actions.map((a: { deviceId: string; command: string; ok: boolean }) => [a.deviceId, a.command, a.ok])).toEqual([
      ['living_room_ac', 'turnOn', true],
      ['living_room_ac', 'setMode', true],
      ['living_room_ac', 'setTargetTemperature', true],
      ['living_room_light', 'turnOff', true],
      ['floor_lamp', 'turnOn', true],
      ['floor_lamp', 'setBrightness', true],
      ['living_room_curtains', 'setPosition', true],
      ['living_room_tv', 'turnOn', true],
    ]);

    // what the nodes themselves report
    await waitForNodeState(nodes, 'living-room-ac', 'living_room_ac', { on: true });
    await waitForNodeState(nodes, 'living-room-ac', 'living_room_ac', { mode: 'heat' });
    await waitForNodeState(nodes, 'living-room-ac', 'living_room_ac', { targetC: 24 });
    await waitForNodeState(nodes, 'living-room-tv', 'living_room_tv', { on: true });
    await waitForNodeState(nodes, 'living-room-gateway', 'floor_lamp', { brightness: 20 });
    const ac = (await nodes.snapshot('living-room-ac')).living_room_ac!;
    expect(ac.state).toMatchObject({ on: true, mode: 'heat' });
    expect(ac.targets.targetC ?? ac.state.targetC).toBe(24);

    // the model saw what the nodes acknowledged, as JSON in tool messages
    expect(llm.requests).toHaveLength(4);
    const afterFirst = toolResults(llm.requests[1]!).slice(1); // [0] is the catalog
    expect(afterFirst).toHaveLength(3);
    expect(afterFirst[2]!.content).toEqual({ results: [{ device_id: 'living_room_ac', ok: true, state: { on: true, mode: 'heat', targetC: 24, ambientC: expect.any(Number), fanSpeed: 'auto' } }] });
    const read = toolResults(llm.requests[3]!).at(-1)!.content as { states: Record<string, Record<string, unknown>> };
    expect(read.states.living_room_tv).toMatchObject({ on: true });
    expect(read.states.floor_lamp).toMatchObject({ on: true, brightness: 20 });
  });

  it('the first request carries the fixed system prompt, the user text, the catalog as a tool result and typed tools', async () => {
    llm.script([{ content: 'Nothing to do.' }]);
    const { body } = await t.api.post('/api/command', { text: 'we are going out', planner: 'always' });
    expect(body.path).toBe('planner');
    const req = llm.requests[0]!;
    expect(req.body.model).toBe('scripted');
    expect(req.body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(req.body.messages[1]!.content).toBe('we are going out');
    expect(req.body.messages[2]!.tool_calls![0]!.function.name).toBe('list_devices');
    const catalog = JSON.parse(req.body.messages[3]!.content!) as { areas: Record<string, { name: string }>; scenes: Record<string, string> };
    expect(catalogRows(req)).toHaveLength(34);
    expect(catalogRows(req)).toContainEqual(['front_door_lock', 'front door', 'hallway', 'lock', { locked: true }]);
    expect(catalog.areas.kids_room!.name).toBe('kids room');
    expect(catalog.scenes.movie).toBe('movie mode');
    const setMode = req.body.tools!.find((x) => x.function.name === 'set_mode')!;
    expect(setMode.function.parameters).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: { mode: { type: 'string', enum: ['cool', 'heat', 'dry', 'fan', 'auto'] } },
      required: ['mode'],
    });
    const names = req.body.tools!.map((x) => x.function.name);
    expect(names).toEqual(expect.arrayContaining(['turn_on', 'turn_off', 'unlock', 'get_state', 'run_scene', 'schedule', 'ask_user']));
    expect(req.body.max_tokens).toBe(1024);
  });

  it('a Chinese request gets the catalog names in Chinese', async () => {
    llm.script([{ content: '好的。' }]);
    const { body } = await t.api.post('/api/command', { text: '我有点冷，想看电影', planner: 'always' });
    expect(body.path).toBe('planner');
    expect(catalogRows(llm.requests[0]!)).toContainEqual(['front_door_lock', '门锁', 'hallway', 'lock', { locked: true }]);
    expect(llm.requests[0]!.body.messages[0]!.content).toContain('Chinese');
  });

  it('rules answer what they understand; "planner: never" keeps to the rules; "always" asks the model', async () => {
    llm.script([]);
    const rules = await t.api.post('/api/command', { text: 'turn on the kitchen light' });
    expect(rules.body.path).toBe('rules');
    expect(llm.requests).toHaveLength(0);
    const never = await t.api.post('/api/command', { text: "I'm cold and want to watch a film", planner: 'never' });
    expect(never.body.path).toBe('rules');
    expect(llm.requests).toHaveLength(0);
    llm.script([{ toolCalls: [{ name: 'turn_on', arguments: { device_ids: ['hallway_light'] } }] }, { content: 'Hallway light on.' }]);
    const always = await t.api.post('/api/command', { text: 'turn on the hallway light', planner: 'always' });
    expect(always.body.path).toBe('planner');
    expect(llm.requests).toHaveLength(2);
    await waitForNodeState(nodes, 'hallway-gateway', 'hallway_light', { on: true });
  });

  it('a model that ends without words gets the hub\'s own reply for what ran; a rule-path answer streams just its reply', async () => {
    llm.script([{ toolCalls: [{ name: 'turn_on', arguments: { device_ids: ['kids_room_light'] } }] }, { content: '' }]);
    const { body } = await t.api.post('/api/command', { text: 'brighten up the kids', planner: 'always' });
    expect(body.planner.stop).toBe('answered');
    expect(body.reply).not.toBe('');
    expect(body.reply).toMatch(/kids/i);
    const res = await fetch(`${t.hub.httpUrl}/api/command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ text: 'turn off the kids room light' }),
    });
    const events = (await res.text()).trim().split('\n\n');
    expect(events).toHaveLength(1);
    expect(events[0]!.startsWith('event: reply\ndata: ')).toBe(true);
    expect(JSON.parse(events[0]!.split('\n')[1]!.slice('data: '.length))).toMatchObject({ path: 'rules', actions: [expect.objectContaining({ deviceId: 'kids_room_light', command: 'turnOff', ok: true })] });
  });

  it('the step limit holds: the loop stops after maxSteps model calls and says so', async () => {
    const toggle = () => ({ toolCalls: [{ name: 'get_state', arguments: { device_ids: ['speaker'] } }] });
    llm.script([toggle(), toggle(), toggle(), toggle(), toggle(), toggle()]);
    const { body } = await t.api.post('/api/command', { text: 'keep checking the speaker', planner: 'always' });
    expect(body.planner.stop).toBe('steps');
    expect(body.planner.steps).toBe(4);
    expect(llm.requests).toHaveLength(4);
    expect(body.reply).toMatch(/more steps than I may take/);
  });

  it('the token limit holds: a reply that overruns the budget is not acted on', async () => {
    llm.script([
      { toolCalls: [{ name: 'turn_on', arguments: { device_ids: ['bedroom_light'] } }], usage: { prompt_tokens: 3000, completion_tokens: 100 } },
      { toolCalls: [{ name: 'turn_on', arguments: { device_ids: ['kids_room_light'] } }], usage: { prompt_tokens: 3000, completion_tokens: 100 } },
      { content: 'never reached' },
    ]);
    const { body } = await t.api.post('/api/command', { text: 'light up the bedrooms', planner: 'always' });
    expect(body.planner.stop).toBe('tokens');
    expect(body.planner.promptTokens + body.planner.completionTokens).toBe(6200);
    expect(llm.requests).toHaveLength(2);
    // the second request's budget for the answer was what remained
    expect(llm.requests[1]!.body.max_tokens).toBe(1024);
    expect(body.actions.map((a: { deviceId: string }) => a.deviceId)).toEqual(['bedroom_light']);
    expect(body.reply).toMatch(/token budget/);
    expect(body.reply).toMatch(/1 action ran/);
    await waitForNodeState(nodes, 'bedroom-gateway', 'bedroom_light', { on: true });
    expect((await nodes.snapshot('bedroom-gateway')).kids_room_light!.state.on).toBe(false);
  });

  it('the time limit holds: a model slower than the request budget ends the request with a clear reply', async () => {
    llm.script([{ toolCalls: [{ name: 'turn_on', arguments: { device_ids: ['study_desk_lamp'] } }] }, { content: 'late', delayMs: 5000 }]);
    const t0 = Date.now();
    const { body } = await t.api.post('/api/command', { text: 'make the study nice', planner: 'always' });
    const ms = Date.now() - t0;
    expect(body.planner.stop).toBe('time');
    expect(ms).toBeLessThan(4500);
    expect(body.reply).toMatch(/longer than allowed/);
    expect(body.actions).toEqual([expect.objectContaining({ deviceId: 'study_desk_lamp', command: 'turnOn', ok: true })]);
  });

  it('SSE: Accept: text/event-stream streams step, tool_call, tool_result and reply in order', async () => {
    llm.script([{ toolCalls: [{ name: 'turn_on', arguments: { device_ids: ['balcony_light'] } }] }, { content: 'Balcony light is on.' }]);
    const res = await fetch(`${t.hub.httpUrl}/api/command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ text: 'light the way to the washing', planner: 'always' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const events = text
      .trim()
      .split('\n\n')
      .map((block) => {
        const [eventLine, dataLine] = block.split('\n');
        return { event: eventLine!.replace('event: ', ''), data: JSON.parse(dataLine!.replace('data: ', '')) };
      });
    expect(events.map((e) => e.event)).toEqual(['step', 'tool_call', 'tool_result', 'step', 'reply']);
    expect(events[1]!.data).toMatchObject({ name: 'turn_on', arguments: { device_ids: ['balcony_light'] } });
    expect(events[2]!.data).toMatchObject({ ok: true, result: { results: [{ device_id: 'balcony_light', ok: true, state: { on: true } }] } });
    expect(events[4]!.data).toMatchObject({ path: 'planner', reply: 'Balcony light is on.', actions: [expect.objectContaining({ deviceId: 'balcony_light', ok: true })] });
  });

  it('a client that disconnects cancels the loop: no further model call or action', async () => {
    llm.script([{ content: 'too late', delayMs: 1500 }, { toolCalls: [{ name: 'turn_on', arguments: { device_ids: ['bathroom_fan'] } }] }]);
    const ac = new AbortController();
    const pending = fetch(`${t.hub.httpUrl}/api/command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'air out the bathroom', planner: 'always' }),
      signal: ac.signal,
    }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 300));
    ac.abort();
    expect(await pending).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 1800));
    expect(llm.requests).toHaveLength(1);
    expect((await nodes.snapshot('bathroom-hub')).bathroom_fan!.state.on).toBe(false);
  });

  it('an unreachable model server gives a clear reply while the rule path keeps working', async () => {
    await llm.pause();
    try {
      const open = await t.api.post('/api/command', { text: 'the kids are asleep, keep it quiet downstairs' });
      expect(open.status).toBe(200);
      expect(open.body.path).toBe('planner');
      expect(open.body.planner.stop).toBe('model');
      expect(open.body.planner.error.code).toBe('MODEL_UNAVAILABLE');
      expect(open.body.planner.error.message).toMatch(/cannot reach the model server at http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: ECONNREFUSED/);
      expect(open.body.reply).toBe('The language model is not available right now, so I could not handle this open-ended request. Simple commands still work.');
      expect(open.body.actions).toEqual([]);
      const rules = await t.api.post('/api/command', { text: 'turn on the study lamp' });
      expect(rules.body.path).toBe('rules');
      expect(rules.body.actions).toEqual([expect.objectContaining({ deviceId: 'study_desk_lamp', command: 'turnOn', ok: true })]);
      await waitForNodeState(nodes, 'hallway-gateway', 'study_desk_lamp', { on: true });
    } finally {
      await llm.resume();
    }
  });

  // last in this hub's tests: it stops a node
  it('a device that fails (its node went offline) is reported to the model, which may retry and then explains', async () => {
    const pid = t.hub.demo!.nodePids.get('balcony-washer')!;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 15_000;
    while (t.hub.registry.isOnline('balcony-washer') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(t.hub.registry.isOnline('balcony-washer')).toBe(false);
    llm.script([
      { toolCalls: [{ id: 'w1', name: 'start_program', arguments: { device_ids: ['washing_machine'], program: 'quick' } }] },
      { toolCalls: [{ id: 'w2', name: 'start_program', arguments: { device_ids: ['washing_machine'], program: 'quick' } }] },
      { content: 'The washing machine is offline, so I could not start it.' },
    ]);
    const { body } = await t.api.post('/api/command', { text: 'do a quick wash', planner: 'always' });
    expect(body.reply).toBe('The washing machine is offline, so I could not start it.');
    expect(body.actions).toEqual([
      expect.objectContaining({ deviceId: 'washing_machine', command: 'startProgram', ok: false, error: expect.objectContaining({ code: 'NODE_OFFLINE' }) }),
      expect.objectContaining({ deviceId: 'washing_machine', command: 'startProgram', ok: false, error: expect.objectContaining({ code: 'NODE_OFFLINE' }) }),
    ]);
    for (const [i, id] of [[1, 'w1'], [2, 'w2']] as const) {
      const seen = toolResults(llm.requests[i]!).find((r) => r.id === id)!.content as { results: { ok: boolean; error: { code: string } }[] };
      expect(seen.results[0]).toMatchObject({ device_id: 'washing_machine', ok: false, error: { code: 'NODE_OFFLINE' } });
    }
  });
});

describe('planner without a backend', () => {
  let bare: TestHub;
  beforeAll(async () => {
    bare = await startTestHub({ homeFile: BENCHMARK_HOME });
  }, 60_000);
  afterAll(async () => {
    await bare?.stop();
  });

  it('the rules answer as before and the reply says open-ended requests need a model', async () => {
    const { status, body } = await bare.api.post('/api/command', { text: "I'm cold and want to watch a film" });
    expect(status).toBe(200);
    expect(body.path).toBe('rules');
    expect(body.reply).toMatch(/Open-ended requests need a language model: start the hub with --llm-url and --llm-model, or --llm-gguf\.$/);
    const zh = await bare.api.post('/api/command', { text: '孩子们睡了，楼下安静点' });
    expect(zh.body.reply).toMatch(/开放式的请求需要语言模型/);
  });
});
