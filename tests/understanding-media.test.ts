import { describe, expect, it } from 'vitest';
import { acts, home, reply } from './helpers/understanding.ts';
import { createUnderstanding, homeViewFromHome } from '@steward/hub/understanding/index.ts';

describe('TV and speakers', () => {
  it('volume: absolute, relative, mute', () => {
    expect(acts('set the speaker volume to 50')).toEqual([['speaker', 'setVolume', { volume: 50 }]]);
    expect(acts('音箱音量调到五十')).toEqual([['speaker', 'setVolume', { volume: 50 }]]);
    expect(acts('turn up the volume on the TV')).toEqual([['living_room_tv', 'adjustVolume', { delta: 10 }]]);
    expect(acts('电视声音大一点')).toEqual([['living_room_tv', 'adjustVolume', { delta: 10 }]]);
    expect(acts('音箱声音小点')).toEqual([['speaker', 'adjustVolume', { delta: -10 }]]);
    expect(acts('mute the TV')).toEqual([['living_room_tv', 'mute', {}]]);
    expect(acts('电视静音')).toEqual([['living_room_tv', 'mute', {}]]);
    expect(acts('电视取消静音')).toEqual([['living_room_tv', 'unmute', {}]]);
  });

  it('playback', () => {
    expect(acts('play music on the speaker')).toEqual([['speaker', 'play', {}]]);
    expect(acts('音箱播放音乐')).toEqual([['speaker', 'play', {}]]);
    expect(acts('pause the speaker')).toEqual([['speaker', 'pause', {}]]);
    expect(acts('车里放点音乐')).toEqual([['car_media', 'play', {}]]);
  });

  it('input source turns the TV on and changes only the input', () => {
    const expected = [['living_room_tv', 'turnOn', {}], ['living_room_tv', 'setInput', { input: 'hdmi2' }]];
    expect(acts('switch the TV to HDMI 2')).toEqual(expected);
    expect(acts('电视切换到HDMI2')).toEqual(expected);
    expect(acts('电视切换到 ＨＤＭＩ２')).toEqual(expected);
  });

  it('opening an app turns the TV on and does not change the input', () => {
    expect(acts('open YouTube on the TV')).toEqual([['living_room_tv', 'turnOn', {}], ['living_room_tv', 'openApp', { app: 'youtube' }]]);
    expect(acts('在电视上打开哔哩哔哩')).toEqual([['living_room_tv', 'turnOn', {}], ['living_room_tv', 'openApp', { app: 'bilibili' }]]);
    expect(acts('用电视看B站')).toEqual([['living_room_tv', 'turnOn', {}], ['living_room_tv', 'openApp', { app: 'bilibili' }]]);
    expect(acts('电视打开腾讯视频')).toContainEqual(['living_room_tv', 'openApp', { app: 'tencent video' }]);
  });

  it('channels by number', () => {
    const expected = [['living_room_tv', 'turnOn', {}], ['living_room_tv', 'setChannel', { channel: 7 }]];
    expect(acts('switch the TV to channel 7')).toEqual(expected);
    expect(acts('把电视切到7台')).toEqual(expected);
    expect(acts('电视换到七频道')).toEqual(expected);
    expect(acts('put on channel seven', { area: 'living_room' })).toEqual(expected);
  });

  it('an app the TV does not have is refused with the ones it has', () => {
    expect(reply('open Spotify on the TV')).not.toContain('Spotify on');
  });
});

describe('the sound as the thing switched', () => {
  it('switching the sound off or on mutes or unmutes, the device keeps its power', () => {
    expect(acts('电视声音关掉')).toEqual([['living_room_tv', 'mute', {}]]);
    expect(acts('turn the sound off on the TV')).toEqual([['living_room_tv', 'mute', {}]]);
    expect(acts('把电视的声音打开')).toEqual([['living_room_tv', 'unmute', {}]]);
  });
});

describe('input names with numbers and letters', () => {
  // the same home with a TV whose inputs are written as its maker writes them
  const tvHome = structuredClone(home);
  const tv = tvHome.devices.find((d) => d.id === 'living_room_tv')!;
  tv.attributes = { ...tv.attributes, inputs: ['HDMI 1', 'HDMI 2', 'HDMI 4', 'AV'] };
  const tvU = createUnderstanding(homeViewFromHome(tvHome));
  const tvActs = (text: string) => tvU.parse(text, {}).clauses.flatMap((c) => (c.kind === 'act' ? c.actions.map((a) => [a.deviceId, a.command, a.params]) : []));

  it('the number binds to the input of that name, never to the volume', () => {
    expect(tvActs('switch the TV to HDMI 4')).toEqual([['living_room_tv', 'turnOn', {}], ['living_room_tv', 'setInput', { input: 'HDMI 4' }]]);
    expect(tvActs('switch the TV to HDMI 2')).toEqual([['living_room_tv', 'turnOn', {}], ['living_room_tv', 'setInput', { input: 'HDMI 2' }]]);
    expect(tvActs('电视切换到HDMI4')).toEqual([['living_room_tv', 'turnOn', {}], ['living_room_tv', 'setInput', { input: 'HDMI 4' }]]);
    expect(tvActs('switch the TV to AV')).toEqual([['living_room_tv', 'turnOn', {}], ['living_room_tv', 'setInput', { input: 'AV' }]]);
  });

  it('an input the TV lacks changes nothing', () => {
    expect(acts('switch the TV to HDMI 4')).toEqual([]);
    expect(reply('switch the TV to HDMI 4')).toBe("The TV can't do that; its inputs are HDMI 1, HDMI 2, TV, USB.");
  });
});
