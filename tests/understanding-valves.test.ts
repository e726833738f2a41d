/**
 * A valve, a device type made of an existing trait (position) and declared as data only (DEVICE_TYPES.valve: its
 * words, travel time, simulated state and confirm default), end to end in both languages through a real node agent
 * (tests/fixtures/valve-home.json). Opening waits for the owner's yes: the type's default for paired and adopted
 * valves, listed in the home file here.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEVICE_TYPES, defaultConfirmRules, loadHome } from '@steward/device-adapters';
import { simulatedDevice } from '@steward/node-agent/pairing/simulate.ts';
import { useConversationHub } from './helpers/conversation-hub.ts';

const HOME_FILE = resolve(import.meta.dirname, 'fixtures/valve-home.json');
const home = loadHome(HOME_FILE);

const hub = useConversationHub({
  conversationPrefix: 'valves',
  homeFile: HOME_FILE,
  home,
  ready: [['main_water_valve', 'position', 100]],
  manualTimers: false,
});
const { say } = hub;
const done = async (text: string) => {
  const r = await say(text);
  return { reply: r.reply, actions: r.actions.map((a) => [a.deviceId, a.command, a.params, a.ok]) };
};

describe('a water valve', () => {
  it('closes at once when asked, in English and Chinese, and its node reports it closed', async () => {
    expect(await done('close the main water valve')).toEqual({ reply: 'Main water valve closing.', actions: [['main_water_valve', 'close', {}, true]] });
    await hub.nodes.waitForValue('main_water_valve', 'position', 0, 30_000);
  }, 40_000);

  it('关闭总水阀; 關閉總水閥 (Traditional) names the same valve', async () => {
    expect(await done('关闭总水阀')).toEqual({ reply: '总水阀正在关闭。', actions: [['main_water_valve', 'close', {}, true]] });
    expect(await done('把總水閥關上')).toEqual({ reply: '總水閥正在關閉。', actions: [['main_water_valve', 'close', {}, true]] });
  });

  it('a position: "set the valve to 50 percent" moves it part way (less open: no yes needed)', async () => {
    expect(await done('set the valve to 50 percent')).toEqual({ reply: 'Main water valve opening to 50 %.', actions: [['main_water_valve', 'setPosition', { position: 50 }, true]] });
    await hub.nodes.waitForValue('main_water_valve', 'position', 50, 30_000);
  }, 40_000);

  it('opening a closed valve waits for a yes, then runs', async () => {
    expect(await done('close the valve')).toEqual({ reply: 'Main water valve closing.', actions: [['main_water_valve', 'close', {}, true]] });
    await hub.nodes.waitForValue('main_water_valve', 'position', 0, 30_000);
    expect(await done('打开水阀')).toEqual({ reply: '确定要打开总水阀吗？请说“确认”或“取消”。', actions: [] });
    expect(await done('取消')).toEqual({ reply: '好的，已取消。', actions: [] });
    expect(await done('open the water valve')).toEqual({ reply: 'Do you want me to open the main water valve? Say yes to confirm or no to cancel.', actions: [] });
    expect(await done('confirm')).toEqual({ reply: 'Confirmed.', actions: [['main_water_valve', 'open', {}, true]] });
    await hub.nodes.waitForValue('main_water_valve', 'position', 100, 30_000);
  }, 60_000);

  it('the valve type is data: its confirm default, its simulated state', () => {
    expect(defaultConfirmRules({ type: 'valve', traits: ['position'] })).toEqual(['open']);
    const d = simulatedDevice('valve', 'n-abcdef12');
    expect(d.descriptor.traits).toEqual(['position']);
    expect(d.state).toEqual(DEVICE_TYPES.valve.simulated.state);
    expect(d.state).toEqual({ position: 100 });
  });
});

describe('a misheard voice command that opens a valve is sensitive, by the type\'s declaration', () => {
  it('opening or moving a valve, a garage door or a window is echoed when unsure; closing is not; a curtain never', async () => {
    const { sensitiveActions } = await import('@steward/hub/voice/service.ts');
    const { homeViewFromHome } = await import('@steward/hub/understanding/index.ts');
    const view = homeViewFromHome(home);
    const state = () => undefined;
    const open = { deviceId: 'main_water_valve', command: 'open', params: {} };
    const move = { deviceId: 'main_water_valve', command: 'setPosition', params: { position: 50 } };
    const close = { deviceId: 'main_water_valve', command: 'close', params: {} };
    expect(sensitiveActions([open, move, close], view, state)).toEqual([open, move]);
    expect(defaultConfirmRules({ type: 'garage_door', traits: ['position'] })).toEqual(['open']);
    expect(defaultConfirmRules({ type: 'curtain', traits: ['position'] })).toEqual([]);
  });
});
