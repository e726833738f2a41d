/**
 * Conversations that repair themselves, through real parts: the real hub, its embedded broker and the benchmark
 * home's node-agent processes. Answers to the hub's own questions complete the asked command; a fragment that
 * answers nothing moves nothing; exclusions leave the excepted devices alone; needs ("too hot") go to devices that
 * serve them. Device states are read from what the nodes report.
 */
import { describe, expect, it } from 'vitest';
import { changed, useConversationHub } from './helpers/conversation-hub.ts';
import { EV, VACUUM } from '@steward/simulators';

const hub = useConversationHub({ conversationPrefix: 'dialogue-test' });
const { say, snapshot } = hub;

describe('answers to the hub\'s "which one?" complete the asked command', () => {
  it('"turn off the light" → "the kitchen one": the kitchen light goes off, nothing else moves', async () => {
    const before = await snapshot();
    const q = await say('turn off the light');
    expect(q.actions).toEqual([]);
    expect(q.reply).toMatch(/^Which one do you mean: .*the kitchen light/);
    const r = await say('the kitchen one');
    expect(r.actions.map((a) => [a.deviceId, a.command, a.ok])).toEqual([['kitchen_light', 'turnOff', true]]);
    expect(r.reply).toBe('Kitchen light off.');
    await hub.nodes.waitForValue('kitchen_light', 'on', false);
    expect(await snapshot()).toEqual(changed(before, { kitchen_light: { on: false } }));
  });

  it('"开灯" → "卧室的": the bedroom light comes on (the room\'s main light)', async () => {
    const before = await snapshot();
    expect((await say('开灯')).reply).toMatch(/^请问是哪一个：.*卧室灯/);
    const r = await say('卧室的');
    expect(r.actions.map((a) => [a.deviceId, a.command])).toEqual([['bedroom_light', 'turnOn']]);
    expect(r.reply).toBe('卧室灯已打开。');
    await hub.nodes.waitForValue('bedroom_light', 'on', true);
    expect(await snapshot()).toEqual(changed(before, { bedroom_light: { on: true } }));
  });

  it('a device name answers: "bedroom light", "厨房灯"', async () => {
    await say('switch the light on');
    expect((await say('bedroom light')).actions.map((a) => a.deviceId)).toEqual(['bedroom_light']);
    await hub.nodes.waitForValue('bedroom_light', 'on', true);
    hub.newConversation();
    await say('把灯关了');
    expect((await say('厨房灯')).actions.map((a) => [a.deviceId, a.command])).toEqual([['kitchen_light', 'turnOff']]);
    await hub.nodes.waitForValue('kitchen_light', 'on', false);
  });

  it('ordinals pick in the order offered: "the second one", "第九个"', async () => {
    const q = await say('turn on the light');
    expect(q.reply).toMatch(/^Which one do you mean: the living room light, the floor lamp,/);
    expect((await say('the second one')).actions.map((a) => [a.deviceId, a.command])).toEqual([['floor_lamp', 'turnOn']]);
    await hub.nodes.waitForValue('floor_lamp', 'on', true);
    hub.newConversation();
    expect((await say('开灯')).reply).toMatch(/台灯？$/);
    expect((await say('第九个')).actions.map((a) => [a.deviceId, a.command])).toEqual([['study_desk_lamp', 'turnOn']]);
    await hub.nodes.waitForValue('study_desk_lamp', 'on', true);
  });

  it('"都要" / "all of them" take every device offered', async () => {
    expect((await say('太热了')).reply).toBe('请问是哪一个：空调、卧室空调、车内空调？');
    const r = await say('都要');
    expect(new Set(r.actions.filter((a) => a.command === 'adjustTargetTemperature').map((a) => a.deviceId))).toEqual(
      new Set(['living_room_ac', 'bedroom_ac', 'car_climate']),
    );
    await hub.nodes.waitForValue('bedroom_ac', 'targetC', 21);
    await hub.nodes.waitForValue('car_climate', 'targetC', 21);
  });

  it('"the bedroom ones": every offered device in that room', async () => {
    await say('turn on the light');
    const r = await say('the bedroom ones');
    expect(r.actions.map((a) => [a.deviceId, a.command])).toEqual([['bedroom_light', 'turnOn'], ['bedside_lamp', 'turnOn']]);
  });

  it('an answer that picks nothing offered asks again and keeps the question open', async () => {
    await say('turn off the light');
    const again = await say('the car one');
    expect(again.actions).toEqual([]);
    expect(again.reply).toMatch(/^Which one do you mean:/);
    expect((await say('the kitchen one')).actions.map((a) => [a.deviceId, a.command])).toEqual([['kitchen_light', 'turnOff']]);
  });

  it('a refusal that lists the options asks which: "the second one", "最后一个" pick among them', async () => {
    const q = await say('set the dishwasher to the cotton program');
    expect(q.actions).toEqual([]);
    expect(q.reply).toBe("The dishwasher can't do that; its programs are eco, quick, intensive.");
    expect((await say('the second one')).actions.map((a) => [a.deviceId, a.command, a.params])).toEqual([['dishwasher', 'selectProgram', { program: 'quick' }]]);
    await hub.nodes.waitForValue('dishwasher', 'program', 'quick');
    hub.newConversation();
    expect((await say('洗碗机用棉麻程序')).reply).toBe('洗碗机没有这个程序，可选的有：节能、快洗、强力。');
    expect((await say('最后一个')).reply).toBe('洗碗机已选择强力程序。');
    await hub.nodes.waitForValue('dishwasher', 'program', 'intensive');
  });

  it('"never mind" / "算了" drop the question: the fragment after it moves nothing', async () => {
    const before = await snapshot();
    await say('turn off the light');
    expect((await say('never mind')).reply).toBe("OK, I won't do that.");
    const r = await say('the kitchen one');
    expect(r.actions).toEqual([]);
    hub.newConversation();
    await say('关灯');
    expect((await say('算了')).reply).toBe('好的，已取消。');
    expect((await say('厨房那个')).actions).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('a question is open for the next turn only, and not after it expires', async () => {
    await say('turn off the light');
    await say('what is the temperature in the living room');
    expect((await say('the kitchen one')).actions).toEqual([]);
    hub.newConversation();
    await say('turn off the light');
    hub.timers.advance(10 * 60_000);
    expect((await say('the kitchen one')).actions).toEqual([]);
    expect(hub.nodes.value('kitchen_light', 'on')).toBe(true);
  });
});

describe('a fragment that answers nothing and continues nothing moves nothing', () => {
  it('"the kitchen one" and "厨房那个" alone: every device keeps its state and the reply says what was not understood', async () => {
    const before = await snapshot();
    const en = await say('the kitchen one');
    expect(en.actions).toEqual([]);
    expect(en.reply).toBe('I\'m not sure what you want done with "the kitchen one", so I didn\'t change anything.');
    hub.newConversation();
    const zh = await say('卧室那个');
    expect(zh.actions).toEqual([]);
    expect(zh.reply).toBe('不确定要对“卧室那个”做什么，什么都没有改动。');
    await new Promise((r) => setTimeout(r, 300));
    expect(await snapshot()).toEqual(before);
  });

  it('after a command, a bare target is not a command; "too" / "也" continue it', async () => {
    await say('turn on the floor lamp');
    await hub.nodes.waitForValue('floor_lamp', 'on', true);
    const before = await snapshot();
    expect((await say('the bedroom light')).actions).toEqual([]);
    expect(await snapshot()).toEqual(before);
    const r = await say('and the bedroom one too');
    expect(r.actions.map((a) => [a.deviceId, a.command])).toEqual([['bedroom_light', 'turnOn']]);
    await hub.nodes.waitForValue('bedroom_light', 'on', true);
    hub.newConversation();
    await say('打开落地灯');
    const zh = await say('儿童房的也是');
    expect(zh.actions.map((a) => [a.deviceId, a.command])).toEqual([['kids_room_light', 'turnOn']]);
    await hub.nodes.waitForValue('kids_room_light', 'on', true);
  });
});

describe('exclusions leave the excepted devices untouched', () => {
  it('"turn off all the lights except the bedside lamp": the kitchen light goes off, the bedside lamp stays on', async () => {
    const before = await snapshot();
    const r = await say('turn off all the lights except the bedside lamp');
    expect(r.actions.map((a) => [a.deviceId, a.command])).toEqual([['kitchen_light', 'turnOff']]);
    await hub.nodes.waitForValue('kitchen_light', 'on', false);
    expect(await snapshot()).toEqual(changed(before, { kitchen_light: { on: false } }));
  });

  it('"turn on every light but the bedroom ones and the desk lamp"', async () => {
    const r = await say('turn on every light but the bedroom ones and the desk lamp');
    const ids = r.actions.map((a) => a.deviceId).sort();
    expect(ids).toEqual(['balcony_light', 'floor_lamp', 'hallway_light', 'kids_room_light', 'living_room_light']);
    await hub.nodes.waitForValue('hallway_light', 'on', true);
    expect(hub.nodes.value('bedroom_light', 'on')).toBe(false);
    expect(hub.nodes.value('study_desk_lamp', 'on')).toBe(false);
  });

  it('"除了床头灯，其他灯都关掉" and "厨房以外的灯都打开"', async () => {
    const r = await say('除了床头灯，其他灯都关掉');
    expect(r.actions.map((a) => [a.deviceId, a.command])).toEqual([['kitchen_light', 'turnOff']]);
    await hub.nodes.waitForValue('kitchen_light', 'on', false);
    expect(hub.nodes.value('bedside_lamp', 'on')).toBe(true);
    const on = await say('厨房以外的灯都打开');
    expect(on.actions.map((a) => a.deviceId)).not.toContain('kitchen_light');
    expect(on.actions.map((a) => a.deviceId)).toContain('bedroom_light');
    await hub.nodes.waitForValue('bedroom_light', 'on', true);
    expect(hub.nodes.value('kitchen_light', 'on')).toBe(false);
  });
});

describe('needs narrow the question by what devices serve, and by where the speaker is', () => {
  it('"it\'s too hot in here" offers the devices that cool (not the water heater, fridge or a lamp)', async () => {
    const q = await say("it's too hot in here");
    expect(q.actions).toEqual([]);
    expect(q.reply).toBe('Which one do you mean: the air conditioner, the bedroom AC or the car AC?');
    const r = await say('the bedroom one');
    expect(r.actions.map((a) => [a.deviceId, a.command])).toEqual([['bedroom_ac', 'turnOn'], ['bedroom_ac', 'adjustTargetTemperature']]);
    await hub.nodes.waitForValue('bedroom_ac', 'targetC', 21);
    expect(hub.nodes.value('water_heater', 'targetC')).toBe(50);
  });

  it('said in a room with one such device, it acts there: "太热了" in the bedroom, "I\'m cold" in the kids room', async () => {
    const hot = await say('太热了', 'bedroom');
    expect(hot.actions.map((a) => a.deviceId)).toEqual(['bedroom_ac', 'bedroom_ac']);
    hub.newConversation();
    const cold = await say("I'm cold", 'kids_room');
    expect(cold.actions.map((a) => [a.deviceId, a.command])).toEqual([['kids_room_heater', 'turnOn'], ['kids_room_heater', 'adjustTargetTemperature']]);
    await hub.nodes.waitForValue('kids_room_heater', 'targetC', 21);
  });

  it('"it\'s getting cold" and 好冷 warm (heat mode, or the target up), never cool; "it\'s getting hot" cools', async () => {
    expect(hub.nodes.value('bedroom_ac', 'mode')).toBe('cool');
    const cold = await say("it's getting cold", 'bedroom');
    expect(cold.actions.map((a) => [a.deviceId, a.command, a.params])).toEqual([['bedroom_ac', 'turnOn', {}], ['bedroom_ac', 'setMode', { mode: 'heat' }]]);
    expect(cold.reply).toBe('Bedroom AC in heat mode.');
    await hub.nodes.waitForValue('bedroom_ac', 'mode', 'heat');
    hub.newConversation();
    const zh = await say('好冷', 'kids_room');
    expect(zh.actions.map((a) => [a.deviceId, a.command, a.params])).toEqual([['kids_room_heater', 'turnOn', {}], ['kids_room_heater', 'adjustTargetTemperature', { delta: 1 }]]);
    await hub.nodes.waitForValue('kids_room_heater', 'targetC', 21);
    hub.newConversation();
    const asked = await say("it's getting cold");
    expect(asked.actions).toEqual([]);
    expect(asked.reply).toBe('Which one do you mean: the air conditioner, the bedroom AC, the heater or the car AC?');
    hub.newConversation();
    const hot = await say("it's getting hot", 'living_room');
    expect(hot.actions.map((a) => [a.deviceId, a.command, a.params])).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'adjustTargetTemperature', { delta: -1 }]]);
    await hub.nodes.waitForValue('living_room_ac', 'targetC', 25);
    expect(hub.nodes.value('living_room_ac', 'mode')).toBe('auto');
  });

  it('"两个都" answers like "both": with three offered it asks again and moves nothing; "都要" then takes the three', async () => {
    const before = await snapshot();
    expect((await say('太热了')).reply).toBe('请问是哪一个：空调、卧室空调、车内空调？');
    const again = await say('两个都');
    expect(again.actions).toEqual([]);
    expect(again.reply).toBe('请问是哪一个：空调、卧室空调、车内空调？');
    expect(await snapshot()).toEqual(before);
    const r = await say('都要');
    expect(new Set(r.actions.filter((a) => a.command === 'adjustTargetTemperature').map((a) => a.deviceId))).toEqual(new Set(['living_room_ac', 'bedroom_ac', 'car_climate']));
    await hub.nodes.waitForValue('car_climate', 'targetC', 21);
  });

  it('"too dark" in the study brightens its light', async () => {
    const r = await say("it's too dark", 'study');
    expect(r.actions.map((a) => a.deviceId)).toEqual(['study_desk_lamp', 'study_desk_lamp']);
    await hub.nodes.waitForValue('study_desk_lamp', 'on', true);
  });
});

describe('progress questions are answered from live state with the minutes left', () => {
  it('"洗衣机还要多久" and "is the washer done?" while it runs: the minutes the node reports', async () => {
    expect((await say('洗衣机还要多久')).reply).toBe('洗衣机现在没有在运行，不用等。');
    await say('start the washing machine on the quick program');
    await hub.nodes.waitForValue('washing_machine', 'running', true);
    const left = hub.nodes.value('washing_machine', 'remainingMin');
    expect(left).toBeGreaterThan(0);
    const zh = await say('洗衣机还要多久');
    expect(zh.actions).toEqual([]);
    expect(zh.reply).toBe(`洗衣机还要大约${left}分钟。`);
    expect((await say('is the washer done?')).reply).toBe(`The washing machine has about ${left} minutes left.`);
    expect((await say('how long until the washing machine finishes')).reply).toBe(`The washing machine has about ${left} minutes left.`);
  });

  it('"when will the dishwasher be done", "洗碗机什么时候好", and after a pause', async () => {
    await say('run the dishwasher');
    await hub.nodes.waitForValue('dishwasher', 'running', true);
    const left = hub.nodes.value('dishwasher', 'remainingMin');
    expect((await say('when will the dishwasher be done')).reply).toBe(`The dishwasher has about ${left} minutes left.`);
    expect((await say('洗碗机什么时候好')).reply).toBe(`洗碗机还要大约${left}分钟。`);
    await say('pause the dishwasher');
    await hub.nodes.waitForValue('dishwasher', 'running', false);
    expect((await say('how much longer for the dishwasher')).reply).toBe(`The dishwasher is paused with ${left} minutes left.`);
  });

  it('"how long until the car is charged?", "车还要多久充满": the minutes to the charge limit the car reports; "not charging" when idle', async () => {
    // the benchmark home's car has no remainingMin in its initial state; the car reports 0 when not charging
    await hub.nodes.waitForValue('car_battery', 'remainingMin', 0);
    expect((await say('how long until the car is charged?')).reply).toBe("The car battery isn't charging (at 62 %).");
    expect((await say('车还要多久充满')).reply).toBe('车辆电池现在没有在充电，电量62%。');
    await say('start charging the car');
    await hub.nodes.waitForValue('car_battery', 'charging', true);
    const left = hub.nodes.value('car_battery', 'remainingMin');
    const pct = hub.nodes.value('car_battery', 'batteryPct');
    expect(left).toBe(Math.ceil((80 - Number(pct)) / EV.chargePctPerMin));
    const en = await say('how long until the car is charged?');
    expect(en.actions).toEqual([]);
    expect(en.reply).toBe(`The car battery will reach 80 % in about ${left} minutes (at ${pct} %).`);
    expect((await say('车还要多久充满')).reply).toBe(`车辆电池还要大约${left}分钟充到80%，电量${pct}%。`);
    expect((await say('when will the car be done charging')).reply).toBe(`The car battery will reach 80 % in about ${left} minutes (at ${pct} %).`);
  });

  it('"when will the vacuum be done?", "扫地机还要多久": the minutes of the cleaning run the robot reports; "not cleaning" when docked', async () => {
    await hub.nodes.waitForValue('robot_vacuum', 'remainingMin', 0);
    expect((await say('when will the vacuum be done?')).reply).toBe("The robot vacuum isn't cleaning, so there's nothing left to wait for.");
    expect((await say('扫地机还要多久')).reply).toBe('扫地机器人现在没有在打扫，不用等。');
    await say('开始扫地');
    await hub.nodes.waitForValue('robot_vacuum', 'status', 'cleaning');
    const left = hub.nodes.value('robot_vacuum', 'remainingMin');
    expect(left).toBe(VACUUM.runMin);
    const zh = await say('扫地机还要多久');
    expect(zh.actions).toEqual([]);
    expect(zh.reply).toBe(`扫地机器人还要大约${left}分钟打扫完。`);
    expect((await say('when will the vacuum be done?')).reply).toBe(`The robot vacuum has about ${left} minutes of cleaning left.`);
    await say('pause the vacuum');
    await hub.nodes.waitForValue('robot_vacuum', 'status', 'paused');
    expect((await say('how much longer for the vacuum')).reply).toBe(`The robot vacuum is paused with ${left} minutes left.`);
  });
});

describe('devices described by where they are or what they do', () => {
  it('"the lamp on the desk", "the light by the bed", "书桌上的灯", "床边的灯"', async () => {
    expect((await say('turn on the lamp on the desk')).actions.map((a) => [a.deviceId, a.command])).toEqual([['study_desk_lamp', 'turnOn']]);
    await hub.nodes.waitForValue('study_desk_lamp', 'on', true);
    // the bedroom light is in the same room, but it is the bedside lamp that is by the bed
    expect((await say('switch off the light by the bed')).actions.map((a) => [a.deviceId, a.command])).toEqual([['bedside_lamp', 'turnOff']]);
    await hub.nodes.waitForValue('bedside_lamp', 'on', false);
    expect((await say('关掉书桌上的灯')).actions.map((a) => [a.deviceId, a.command])).toEqual([['study_desk_lamp', 'turnOff']]);
    expect((await say('打开床边的灯')).actions.map((a) => [a.deviceId, a.command])).toEqual([['bedside_lamp', 'turnOn']]);
    await hub.nodes.waitForValue('study_desk_lamp', 'on', false);
    await hub.nodes.waitForValue('bedside_lamp', 'on', true);
    expect(hub.nodes.value('bedroom_light', 'on')).toBe(false);
  });

  it('verbs that say what a trait does: "heat the seat", "给座椅加热", "cool the car"', async () => {
    expect((await say('heat the seat')).actions.map((a) => a.deviceId)).toEqual(['car_seat_heater']);
    await hub.nodes.waitForValue('car_seat_heater', 'level', 2);
    expect((await say('关闭座椅加热')).actions.map((a) => [a.deviceId, a.command, a.params])).toEqual([['car_seat_heater', 'setLevel', { level: 0 }]]);
    await hub.nodes.waitForValue('car_seat_heater', 'level', 0);
    expect((await say('给座椅加热')).actions.map((a) => a.deviceId)).toEqual(['car_seat_heater']);
    await hub.nodes.waitForValue('car_seat_heater', 'level', 2);
    const cool = await say('cool the car');
    expect(cool.actions.map((a) => [a.deviceId, a.command])).toEqual([['car_climate', 'turnOn'], ['car_climate', 'setMode']]);
    await hub.nodes.waitForValue('car_climate', 'mode', 'cool');
  });
});

describe('replies are composed from what the nodes acknowledged: failures first, with their reason', () => {
  // last in this file: it stops a node agent for good
  it('"good night" with the hallway node down names every failure first, then says the rest is done (en and zh)', async () => {
    const pid = hub.t.hub.demo!.nodePids.get('hallway-gateway')!;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { body } = await hub.t.api.get('/api/nodes');
      if (body.nodes.find((n: { id: string; online: boolean }) => n.id === 'hallway-gateway')?.online === false) break;
      if (Date.now() > deadline) throw new Error('hallway-gateway still online');
      await new Promise((r) => setTimeout(r, 100));
    }
    const en = await say('good night');
    expect(en.reply).toBe(
      "I couldn't turn off the hallway light: its node is offline. I couldn't turn off the desk lamp: its node is offline. " +
        "I couldn't lock the front door: its node is offline. The rest is done.",
    );
    expect(en.actions.filter((a) => !a.ok).map((a) => [a.deviceId, a.error?.code])).toEqual([
      ['hallway_light', 'NODE_OFFLINE'],
      ['study_desk_lamp', 'NODE_OFFLINE'],
      ['front_door_lock', 'NODE_OFFLINE'],
    ]);
    await hub.nodes.waitForValue('bedside_lamp', 'brightness', 10);
    hub.newConversation();
    // a failure in a later clause is still said first
    const zh = await say('打开阳台灯和玄关灯');
    expect(zh.reply).toBe('没能打开玄关灯：它所在的节点离线了。阳台灯已打开。');
    await hub.nodes.waitForValue('balcony_light', 'on', true);
    const none = await say('关掉玄关灯');
    expect(none.reply).toBe('没能关闭玄关灯：它所在的节点离线了。');
  });
});
