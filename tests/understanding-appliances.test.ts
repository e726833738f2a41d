import { describe, expect, it } from 'vitest';
import { parse, acts, reply } from './helpers/understanding.ts';

describe('robot vacuum', () => {
  it('start, pause and return to the dock', () => {
    for (const text of ['start the robot vacuum', '让扫地机器人开始打扫', 'vacuum the living room', '扫一下地', 'start cleaning']) {
      expect(acts(text)).toEqual([['robot_vacuum', 'startCleaning', {}]]);
    }
    expect(acts('pause the vacuum')).toEqual([['robot_vacuum', 'pauseCleaning', {}]]);
    for (const text of ['send the vacuum back to its base', '扫地机器人回去充电', '让扫地机回去充电', 'dock the vacuum']) {
      expect(acts(text)).toEqual([['robot_vacuum', 'returnToDock', {}]]);
    }
    expect(reply('send the vacuum back to its base')).toMatch(/dock/);
    expect(reply('扫地机器人回去充电')).toMatch(/充电/);
  });
});

describe('washer and dishwasher programs', () => {
  it('a program named with an action that starts or washes starts it', () => {
    expect(acts('start the dishwasher on the quick program')).toEqual([['dishwasher', 'startProgram', { program: 'quick' }]]);
    expect(acts('洗碗机用快洗模式启动')).toEqual([['dishwasher', 'startProgram', { program: 'quick' }]]);
    expect(acts('洗衣机用羊毛模式洗')).toEqual([['washing_machine', 'startProgram', { program: 'wool' }]]);
    expect(acts('run the dishwasher on intensive')).toEqual([['dishwasher', 'startProgram', { program: 'intensive' }]]);
  });

  it('a program said as a way of washing runs it: 快洗一下, 强力洗', () => {
    expect(acts('洗衣机快洗一下')).toEqual([['washing_machine', 'startProgram', { program: 'quick' }]]);
    expect(acts('洗碗机强力洗')).toEqual([['dishwasher', 'startProgram', { program: 'intensive' }]]);
  });

  it('naming only the program selects it', () => {
    expect(acts('set the washing machine to wool')).toEqual([['washing_machine', 'selectProgram', { program: 'wool' }]]);
    expect(acts('洗衣机选快洗')).toEqual([['washing_machine', 'selectProgram', { program: 'quick' }]]);
    expect(acts('洗衣机调到快洗')).toEqual([['washing_machine', 'selectProgram', { program: 'quick' }]]);
    expect(acts('洗衣机快洗模式')).toEqual([['washing_machine', 'selectProgram', { program: 'quick' }]]);
  });

  it('start without a program runs the selected one; pause', () => {
    expect(acts('start the washing machine')).toEqual([['washing_machine', 'startProgram', {}]]);
    expect(acts('启动洗衣机')).toEqual([['washing_machine', 'startProgram', {}]]);
    expect(acts('开始洗衣服')).toEqual([['washing_machine', 'startProgram', {}]]);
    expect(acts('pause the dishwasher')).toEqual([['dishwasher', 'pauseProgram', {}]]);
  });
});

describe('fridge', () => {
  it('fridge and freezer temperatures', () => {
    expect(acts('set the fridge to 6 degrees')).toEqual([['fridge', 'setFridgeTemperature', { celsius: 6 }]]);
    expect(acts('冰箱冷藏调到六度')).toEqual([['fridge', 'setFridgeTemperature', { celsius: 6 }]]);
    expect(acts('冷冻室调到零下二十度')).toEqual([['fridge', 'setFreezerTemperature', { celsius: -20 }]]);
    expect(acts('set the freezer to minus 20')).toEqual([['fridge', 'setFreezerTemperature', { celsius: -20 }]]);
    expect(acts('make the fridge a bit colder')).toEqual([['fridge', 'adjustFridgeTemperature', { delta: -1 }]]);
  });

  it('modes', () => {
    expect(acts('put the fridge in vacation mode')).toEqual([['fridge', 'setFridgeMode', { mode: 'vacation' }]]);
    expect(acts('冰箱调到假日模式')).toEqual([['fridge', 'setFridgeMode', { mode: 'vacation' }]]);
    expect(acts('冰箱开速冷')).toEqual([['fridge', 'setFridgeMode', { mode: 'super_cool' }]]);
  });

  it('clamps to the compartment range', () => {
    expect(acts('set the fridge to 15 degrees')).toEqual([['fridge', 'setFridgeTemperature', { celsius: 8 }]]);
    expect(reply('冰箱冷藏调到十五度')).toContain('2到8度');
  });
});

describe('range hood', () => {
  it('speed with power', () => {
    expect(acts('turn on the range hood on high')).toEqual([['range_hood', 'turnOn', {}], ['range_hood', 'setFanSpeed', { speed: 'high' }]]);
    expect(acts('油烟机开到高档')).toEqual([['range_hood', 'turnOn', {}], ['range_hood', 'setFanSpeed', { speed: 'high' }]]);
  });
});

describe('programs said with the start', () => {
  it('a program named as a kind of wash runs it, unless a set verb only picks it', () => {
    expect(acts('quick wash in the dishwasher')).toEqual([['dishwasher', 'startProgram', { program: 'quick' }]]);
    expect(acts('set the washer to wool wash')).toEqual([['washing_machine', 'selectProgram', { program: 'wool' }]]);
    expect(acts('start a load of laundry')).toEqual([['washing_machine', 'startProgram', {}]]);
  });

  it('a clause that only picks a program joins the start before it', () => {
    expect(parse('洗碗机开始洗，用强力模式').clauses).toHaveLength(1);
    expect(acts('洗碗机开始洗，用强力模式')).toEqual([['dishwasher', 'startProgram', { program: 'intensive' }]]);
    expect(acts('start the washing machine, wool program')).toEqual([['washing_machine', 'startProgram', { program: 'wool' }]]);
  });

  it("a fan's speed runs the fan", () => {
    expect(acts('油烟机调到最大')).toEqual([['range_hood', 'turnOn', {}], ['range_hood', 'setFanSpeed', { speed: 'high' }]]);
  });
});
