/**
 * Fixed misreadings, through real parts: the real hub, its embedded broker and the benchmark home's node-agent
 * processes. Each case says the command, the exact reply, and the device states the nodes report afterwards.
 */
import { describe, expect, it } from 'vitest';
import { changed, useConversationHub } from './helpers/conversation-hub.ts';

const hub = useConversationHub({ conversationPrefix: 'dialogue-test' });
const { say, snapshot } = hub;

describe('a number right after a numbered option word names the option', () => {
  it('"switch the TV to HDMI 4" (the TV has HDMI 1 and 2): refused with its inputs, volume and input unchanged', async () => {
    const before = await snapshot();
    const r = await say('switch the TV to HDMI 4');
    expect(r.actions).toEqual([]);
    expect(r.reply).toBe("The TV can't do that; its inputs are HDMI 1, HDMI 2, TV, USB.");
    const zh = await say('电视切换到HDMI4');
    expect(zh.actions).toEqual([]);
    expect(zh.reply).toBe('电视没有这个信号源，可选的有：HDMI1、HDMI2、电视信号、USB。');
    expect(await snapshot()).toEqual(before);
  });

  it('"switch the TV to HDMI 2" sets HDMI 2 and leaves the volume at 20', async () => {
    const before = await snapshot();
    const r = await say('switch the TV to HDMI 2');
    expect(r.actions.map((a) => [a.deviceId, a.command, a.params, a.ok])).toEqual([
      ['living_room_tv', 'turnOn', {}, true],
      ['living_room_tv', 'setInput', { input: 'hdmi2' }, true],
    ]);
    expect(r.reply).toBe('TV on HDMI 2.');
    await hub.nodes.waitForValue('living_room_tv', 'input', 'hdmi2');
    expect(await snapshot()).toEqual(changed(before, { living_room_tv: { on: true, input: 'hdmi2' } }));
  });
});

describe('a word that is a verb and a device word', () => {
  it('"unlock the lock" only asks; nothing locks or unlocks until yes', async () => {
    const before = await snapshot();
    const q = await say('unlock the lock');
    expect(q.actions).toEqual([]);
    expect(q.reply).toBe('Do you want me to unlock the front door? Say yes to confirm or no to cancel.');
    expect(await snapshot()).toEqual(before);
    const r = await say('yes');
    expect(r.actions.map((a) => [a.deviceId, a.command, a.ok])).toEqual([['front_door_lock', 'unlock', true]]);
    await hub.nodes.waitForValue('front_door_lock', 'locked', false);
    expect(await snapshot()).toEqual(changed(before, { front_door_lock: { locked: false } }));
  });

  it('"把锁打开" asks to unlock the same way', async () => {
    const q = await say('把锁打开');
    expect(q.actions).toEqual([]);
    expect(q.reply).toBe('确定要打开门锁吗？请说“确认”或“取消”。');
  });
});

describe('a complaint about the temperature warms or cools per the device\'s mode', () => {
  it('"it\'s cold" in the bedroom, its AC in cool mode: heat mode, nothing else moves', async () => {
    const before = await snapshot();
    expect(before.bedroom_ac).toMatchObject({ mode: 'cool', targetC: 22 });
    const r = await say("it's cold", 'bedroom');
    expect(r.actions.map((a) => [a.deviceId, a.command, a.params, a.ok])).toEqual([
      ['bedroom_ac', 'turnOn', {}, true],
      ['bedroom_ac', 'setMode', { mode: 'heat' }, true],
    ]);
    expect(r.reply).toBe('Bedroom AC in heat mode.');
    await hub.nodes.waitForValue('bedroom_ac', 'mode', 'heat');
    expect(await snapshot()).toEqual(changed(before, { bedroom_ac: { on: true, mode: 'heat' } }));
  });

  it('"it\'s hot" in the bedroom, its AC in heat mode: cool mode; said again in cool mode: the target goes down', async () => {
    await say('set the bedroom AC to heat mode');
    await hub.nodes.waitForValue('bedroom_ac', 'mode', 'heat');
    const before = await snapshot();
    const r = await say("it's hot", 'bedroom');
    expect(r.actions.map((a) => [a.deviceId, a.command, a.params])).toEqual([['bedroom_ac', 'setMode', { mode: 'cool' }]]);
    expect(r.reply).toBe('Bedroom AC in cool mode.');
    await hub.nodes.waitForValue('bedroom_ac', 'mode', 'cool');
    expect(await snapshot()).toEqual(changed(before, { bedroom_ac: { mode: 'cool' } }));
    const again = await say("it's hot", 'bedroom');
    expect(again.actions.map((a) => [a.deviceId, a.command, a.params])).toEqual([['bedroom_ac', 'adjustTargetTemperature', { delta: -1 }]]);
    await hub.nodes.waitForValue('bedroom_ac', 'targetC', 21);
  });

  it('"it\'s cold" in the living room, its AC in auto mode: the target goes up 1 °C', async () => {
    const r = await say("it's cold", 'living_room');
    expect(r.actions.map((a) => [a.deviceId, a.command, a.params])).toEqual([
      ['living_room_ac', 'turnOn', {}],
      ['living_room_ac', 'adjustTargetTemperature', { delta: 1 }],
    ]);
    expect(r.reply).toBe('Air conditioner up 1 °C.');
    await hub.nodes.waitForValue('living_room_ac', 'targetC', 27);
    expect(hub.nodes.value('living_room_ac', 'mode')).toBe('auto');
  });
});

describe('"both" answers a question that offered two', () => {
  it('three offered: "both" asks again and moves nothing; naming two then takes those two', async () => {
    const before = await snapshot();
    const q = await say('turn up the volume');
    expect(q.reply).toBe('Which one do you mean: the TV, the speaker or the car stereo?');
    const again = await say('both');
    expect(again.actions).toEqual([]);
    expect(again.reply).toBe('Which one do you mean: the TV, the speaker or the car stereo?');
    expect(await snapshot()).toEqual(before);
    const r = await say('the TV and the speaker');
    expect(new Set(r.actions.filter((a) => a.command === 'adjustVolume').map((a) => a.deviceId))).toEqual(new Set(['living_room_tv', 'speaker']));
    await hub.nodes.waitForValue('speaker', 'volume', (before.speaker!.volume as number) + 10);
    expect(hub.nodes.value('car_media', 'volume')).toBe(before.car_media!.volume);
  });

  it('three offered: "both" asks again and moves nothing; "all of them" then takes the three', async () => {
    const before = await snapshot();
    const q = await say("it's too hot in here");
    expect(q.reply).toBe('Which one do you mean: the air conditioner, the bedroom AC or the car AC?');
    const again = await say('both');
    expect(again.actions).toEqual([]);
    expect(again.reply).toBe('Which one do you mean: the air conditioner, the bedroom AC or the car AC?');
    expect(await snapshot()).toEqual(before);
    const r = await say('all of them');
    expect(new Set(r.actions.filter((a) => a.command === 'adjustTargetTemperature').map((a) => a.deviceId))).toEqual(
      new Set(['living_room_ac', 'bedroom_ac', 'car_climate']),
    );
    await hub.nodes.waitForValue('bedroom_ac', 'targetC', 21);
  });
});

describe('mode and program words', () => {
  it('"冰箱调到涡轮模式" and "set the fridge to turbo": the fridge\'s quick-cool mode', async () => {
    const before = await snapshot();
    const r = await say('冰箱调到涡轮模式');
    expect(r.actions.map((a) => [a.deviceId, a.command, a.params, a.ok])).toEqual([['fridge', 'setFridgeMode', { mode: 'super_cool' }, true]]);
    expect(r.reply).toBe('冰箱已设为速冷模式。');
    await hub.nodes.waitForValue('fridge', 'mode', 'super_cool');
    expect(await snapshot()).toEqual(changed(before, { fridge: { mode: 'super_cool' } }));
    await say('set the fridge to normal mode');
    await hub.nodes.waitForValue('fridge', 'mode', 'normal');
    expect((await say('set the fridge to turbo')).reply).toBe('Fridge in super cool mode.');
    await hub.nodes.waitForValue('fridge', 'mode', 'super_cool');
  });

  it('a program the dishwasher lacks is refused with the ones it has; the dishwasher does not start', async () => {
    const before = await snapshot();
    for (const text of ['start the dishwasher on wool', 'start the dishwasher on turbo']) {
      const r = await say(text);
      expect(r.actions).toEqual([]);
      expect(r.reply).toBe("The dishwasher can't do that; its programs are eco, quick, intensive.");
      hub.newConversation();
    }
    const zh = await say('洗碗机用羊毛程序启动');
    expect(zh.actions).toEqual([]);
    expect(zh.reply).toBe('洗碗机没有这个程序，可选的有：节能、快洗、强力。');
    expect(await snapshot()).toEqual(before);
  });
});

describe('reply grammar', () => {
  it('a plural device name takes "are": "The bedroom curtains are open.", "The car doors are locked."; a singular one "is"', async () => {
    expect(hub.nodes.value('bedroom_curtains', 'position')).toBe(100);
    expect((await say('are the bedroom curtains open?')).reply).toBe('The bedroom curtains are open.');
    expect((await say('are the car doors locked?')).reply).toBe('The car doors are locked.');
    expect((await say('are the car windows open?')).reply).toBe('The car windows are closed.');
    expect((await say('is the front door locked?')).reply).toBe('The front door is locked.');
    expect((await say('is the TV on?')).reply).toBe('The TV is off.');
  });
});
