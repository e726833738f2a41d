/**
 * Export and redaction as pure functions: a planner trajectory (model steps holding the messages new since the
 * previous step, as the planner records them) becomes one chat without repeats; redaction replaces names inside
 * free text, ids in arguments and keys, and keeps values.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { exportLine, toChat } from '@steward/hub/trajectories/export.ts';
import { createRedactor, placesIn } from '@steward/hub/trajectories/redact.ts';
import type { Trajectory } from '@steward/hub/trajectories/schema.ts';
import { createSqliteRecorder, TrajectoryStore } from '@steward/hub/trajectories/store.ts';

const call = (id: string, name: string, args: unknown) => ({ id, type: 'function' as const, function: { name, arguments: JSON.stringify(args) } });

const planner: Trajectory = {
  id: 't1',
  conversationId: 'c1',
  path: 'planner',
  source: 'api',
  text: "I'm cold and want to watch a film",
  lang: 'en',
  startedAt: '2026-11-30T12:00:00.000Z',
  finishedAt: '2026-11-30T12:00:02.000Z',
  ms: 2000,
  reply: 'Heating to 24 °C and the TV is on.',
  ok: true,
  tokens: { prompt: 900, completion: 60 },
  steps: [
    {
      kind: 'model',
      at: 1,
      ms: 300,
      usage: { promptTokens: 400, completionTokens: 30 },
      messages: [
        { role: 'system', content: 'You run a home.' },
        { role: 'user', content: "I'm cold and want to watch a film" },
        { role: 'assistant', content: null, tool_calls: [call('a', 'set_target_temperature', { device_ids: ['living_room_ac'], celsius: 24 }), call('b', 'turn_on', { device_ids: ['living_room_tv'] })] },
      ],
    },
    { kind: 'tool_call', at: 2, id: 'a', name: 'set_target_temperature', arguments: { device_ids: ['living_room_ac'], celsius: 24 }, result: { device_id: 'living_room_ac', ok: true, state: { targetC: 24 } }, ok: true, ms: 12 },
    { kind: 'tool_call', at: 3, id: 'b', name: 'turn_on', arguments: { device_ids: ['living_room_tv'] }, result: { device_id: 'living_room_tv', ok: true, state: { on: true } }, ok: true, ms: 10 },
    {
      kind: 'model',
      at: 4,
      ms: 200,
      messages: [
        { role: 'tool', tool_call_id: 'a', content: '{"planner":"own words for a"}' },
        { role: 'tool', tool_call_id: 'b', content: '{"planner":"own words for b"}' },
        { role: 'assistant', content: 'Heating to 24 °C and the TV is on.' },
      ],
    },
    { kind: 'reply', at: 5, text: 'Heating to 24 °C and the TV is on.' },
  ],
};

describe('toChat', () => {
  it('joins incremental model steps without repeats, results from the messages that carry them', () => {
    expect(toChat(planner)).toEqual([
      { role: 'system', content: 'You run a home.' },
      { role: 'user', content: "I'm cold and want to watch a film" },
      { role: 'assistant', content: null, tool_calls: [call('a', 'set_target_temperature', { device_ids: ['living_room_ac'], celsius: 24 }), call('b', 'turn_on', { device_ids: ['living_room_tv'] })] },
      { role: 'tool', tool_call_id: 'a', content: '{"planner":"own words for a"}' },
      { role: 'tool', tool_call_id: 'b', content: '{"planner":"own words for b"}' },
      { role: 'assistant', content: 'Heating to 24 °C and the TV is on.' },
    ]);
  });

  it('takes results from the tool_call steps when no message carries them, and the same chat from a full transcript', () => {
    const cut = { ...planner, steps: planner.steps.slice(0, 3).concat(planner.steps.slice(4)) };
    const chat = toChat(cut);
    expect(chat.slice(3)).toEqual([
      { role: 'tool', tool_call_id: 'a', content: JSON.stringify({ device_id: 'living_room_ac', ok: true, state: { targetC: 24 } }) },
      { role: 'tool', tool_call_id: 'b', content: JSON.stringify({ device_id: 'living_room_tv', ok: true, state: { on: true } }) },
      { role: 'assistant', content: 'Heating to 24 °C and the TV is on.' },
    ]);
    const first = planner.steps[0] as Extract<Trajectory['steps'][number], { kind: 'model' }>;
    const second = planner.steps[3] as Extract<Trajectory['steps'][number], { kind: 'model' }>;
    const full = { ...planner, steps: [first, planner.steps[1]!, planner.steps[2]!, { ...second, messages: [...first.messages, ...second.messages] }, planner.steps[4]!] };
    expect(toChat(full)).toEqual(toChat(planner));
  });

  it('sharegpt pairs each function_call with its observation and keeps the system prompt apart', () => {
    const line = exportLine(planner, 'sharegpt')!;
    expect(line).toEqual({
      system: 'You run a home.',
      conversations: [
        { from: 'human', value: "I'm cold and want to watch a film" },
        { from: 'function_call', value: JSON.stringify({ name: 'set_target_temperature', arguments: { device_ids: ['living_room_ac'], celsius: 24 } }) },
        { from: 'observation', value: '{"planner":"own words for a"}' },
        { from: 'function_call', value: JSON.stringify({ name: 'turn_on', arguments: { device_ids: ['living_room_tv'] } }) },
        { from: 'observation', value: '{"planner":"own words for b"}' },
        { from: 'gpt', value: 'Heating to 24 °C and the TV is on.' },
      ],
    });
  });
});

describe('redaction', () => {
  const r = createRedactor([
    { kind: 'AREA', id: 'living_room', names: ['living room', '客厅'] },
    { kind: 'DEVICE', id: 'living_room_tv', names: ['TV', 'living room TV', '客厅电视', '电视'] },
    { kind: 'DEVICE', id: 'living_room_ac', names: ['AC', 'air conditioner', '空调'] },
    ...placesIn([{ destination: "Grandma's house" }]),
  ]);

  it('replaces names inside free text, longest first, whole words only, plurals too, Chinese anywhere', () => {
    expect(r.text('turn on the living room TV and the air conditioner')).toBe('turn on the DEVICE_1 and the DEVICE_2');
    expect(r.text('all TVs in the living room')).toBe('all DEVICE_1 in the AREA_1');
    expect(r.text('把客厅空调调到24度')).toBe('把AREA_1DEVICE_2调到24度');
    expect(r.text("navigate to Grandma's house")).toBe('navigate to PLACE_1');
    // not inside other words
    expect(r.text('ACTIVE mode, factual')).toBe('ACTIVE mode, factual');
  });

  it('keeps numbers, units, modes and schema keys; replaces ids as values and as keys', () => {
    expect(r.value({ device_ids: ['living_room_ac'], celsius: 24, mode: 'cool', state: { living_room_tv: { on: true } } })).toEqual({
      device_ids: ['DEVICE_2'],
      celsius: 24,
      mode: 'cool',
      state: { DEVICE_1: { on: true } },
    });
  });

  it('redacts a whole exported line and leaves tool names alone', () => {
    const line = JSON.stringify(exportLine(planner, 'openai', r));
    for (const name of ['living_room_ac', 'living_room_tv', 'TV', 'living room']) expect(line).not.toContain(`"${name}"`);
    expect(line).toContain('set_target_temperature');
    expect(line).toContain('"celsius\\":24');
    expect(line).toContain('Heating to 24 °C and the DEVICE_1 is on.');
  });
});

describe('the SQLite recorder as the planner uses it', () => {
  it('keeps model and tool steps, refuses a step outside the schema without failing, and takes a later correction', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-traj-'));
    const db = new Database(join(dir, 'steward.db'));
    try {
      const store = new TrajectoryStore(db);
      const errors: unknown[] = [];
      const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) });
      let clock = 1_000;
      const recorder = createSqliteRecorder({ store, logger, now: () => clock });
      const h = recorder.begin({ conversationId: 'c1', text: planner.text, lang: 'en', source: 'voice', path: 'planner' });
      for (const s of planner.steps) h.step(s);
      h.step({ kind: 'model', at: 1, ms: 1, messages: [{ role: 'robot', content: 'x' }] } as never);
      clock = 3_000;
      h.finish({ reply: planner.reply, ok: true, tokens: { prompt: 900, completion: 60 } });
      const stored = store.get(h.id)!;
      expect(stored).toMatchObject({ path: 'planner', source: 'voice', ms: 2000, tokens: { prompt: 900, completion: 60 }, reply: planner.reply });
      expect(stored.steps).toEqual(planner.steps);
      expect(errors).toHaveLength(1);
      expect(toChat(stored)).toEqual(toChat(planner));

      // a correction soon after, in the same conversation, lands on this trajectory; a later one does not
      clock = 10_000;
      recorder.begin({ conversationId: 'c1', text: 'no, I meant the bedroom', lang: 'en', source: 'voice', path: 'rules' }).finish({ reply: 'ok', ok: true });
      expect(store.get(h.id)!.steps.at(-1)).toEqual({ kind: 'correction', at: 10_000, text: 'no, I meant the bedroom' });
      clock = 10_000 + 121_000;
      recorder.begin({ conversationId: 'c1', text: 'no, the other one', lang: 'en', source: 'voice', path: 'rules' }).finish({ reply: 'ok', ok: true });
      expect(store.get(h.id)!.steps.filter((s) => s.kind === 'correction')).toHaveLength(1);
      expect(exportLine(store.get(h.id)!, 'sharegpt')).toBeUndefined();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
