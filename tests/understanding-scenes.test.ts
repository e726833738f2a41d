import { describe, expect, it } from 'vitest';
import { fieldsOf } from '@steward/device-adapters';
import { home, parse, acts, reply } from './helpers/understanding.ts';

describe('scenes from the registry', () => {
  it('a scene name becomes an act clause with every desired state as its trait\'s command', () => {
    for (const text of ['good night', '晚安', 'bedtime']) {
      const r = parse(text);
      expect(r.clauses).toHaveLength(1);
      const c = r.clauses[0]!;
      expect(c.kind).toBe('act');
      if (c.kind !== 'act') continue;
      expect(c.sceneId).toBe('good_night');
      const scene = home.scenes.find((s) => s.id === 'good_night')!;
      // one command per desired field, from FieldSpec.set, nothing skipped
      const expected = Object.entries(scene.states).flatMap(([id, desired]) => {
        const d = home.devices.find((x) => x.id === id)!;
        return Object.entries(desired).map(([field, v]) => ({ deviceId: id, ...fieldsOf(d)[field]!.set!(v) }));
      });
      expect(c.actions).toHaveLength(expected.length);
      expect(c.actions).toEqual(expect.arrayContaining(expected));
    }
  });

  it('power goes on before other settings', () => {
    const c = parse('movie time').clauses[0]!;
    expect(c.kind === 'act' && c.actions.filter((a) => a.deviceId === 'floor_lamp')).toEqual([
      { deviceId: 'floor_lamp', command: 'turnOn', params: {} },
      { deviceId: 'floor_lamp', command: 'setBrightness', params: { brightness: 20 } },
    ]);
  });

  it('scene names inside a sentence', () => {
    for (const [text, id] of [['activate movie mode', 'movie'], ['离家模式', 'leave_home'], ["I'm leaving", 'leave_home'], ['开启观影模式', 'movie'], ['away mode', 'leave_home']]) {
      const c = parse(text!).clauses[0]!;
      expect(c.kind === 'act' && c.sceneId).toBe(id);
    }
  });

  it('replies name the scene', () => {
    expect(reply('good night')).toBe('Good night: done.');
    expect(reply('晚安')).toBe('好的，已执行晚安。');
  });

  it('the head of a scene name names it when nothing else is said', () => {
    for (const [text, id] of [['movie night', 'movie'], ["let's watch a movie", 'movie'], ['我要睡觉了', 'good_night'], ['看电影', 'movie']]) {
      const c = parse(text!).clauses[0]!;
      expect(c.kind === 'act' && c.sceneId).toBe(id);
    }
    expect(parse('sounds good').clauses[0]!.kind).toBe('unknown');
    // with a device named, 离家 is the fridge's vacation mode, not the scene
    expect(acts('冰箱调到离家')).toEqual([['fridge', 'setFridgeMode', { mode: 'vacation' }]]);
  });
});

describe('names written as one word', () => {
  it('"goodnight" is the "good night" scene, "livingroom" the living room', () => {
    expect(parse('goodnight').clauses[0]).toMatchObject({ kind: 'act', sceneId: 'good_night' });
    expect(acts('turn on the livingroom light')).toEqual([['living_room_light', 'turnOn', {}]]);
  });
});
