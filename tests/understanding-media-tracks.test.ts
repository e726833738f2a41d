import { describe, expect, it } from 'vitest';
import { playback } from '@steward/device-adapters/traits/playback.ts';
import { acts, reply } from './helpers/understanding.ts';

describe('next and previous track (HassMediaNext, HassMediaPrevious)', () => {
  it('English: next track/song, skip; previous track/song', () => {
    expect(acts('skip this song on the speaker')).toEqual([['speaker', 'next', {}]]);
    expect(acts('next track on the speaker')).toEqual([['speaker', 'next', {}]]);
    expect(acts('play the next song on the tv')).toEqual([['living_room_tv', 'next', {}]]);
    expect(acts('previous song on the speaker')).toEqual([['speaker', 'previous', {}]]);
    expect(reply('skip this song on the speaker')).toBe('Speaker on the next track.');
  });

  it('Chinese: 下一首, 下一曲, 切歌, 上一首, 上一曲 (Traditional too)', () => {
    expect(acts('音箱下一首')).toEqual([['speaker', 'next', {}]]);
    expect(acts('音箱切歌')).toEqual([['speaker', 'next', {}]]);
    expect(acts('电视下一曲')).toEqual([['living_room_tv', 'next', {}]]);
    expect(acts('TV 跳到下一首 歌')).toEqual([['living_room_tv', 'next', {}]]);
    expect(acts('音箱上一首')).toEqual([['speaker', 'previous', {}]]);
    expect(acts('電視上一曲')).toEqual([['living_room_tv', 'previous', {}]]);
    expect(reply('音箱上一首')).toBe('音箱已切回上一首。');
  });

  it('再播放这首歌, 重播: from the start again is the previous-track command; 转下一个台 steps the channel', () => {
    expect(acts('音箱再播放这首歌')).toEqual([['speaker', 'previous', {}]]);
    expect(acts('TV 再播放這首 歌')).toEqual([['living_room_tv', 'previous', {}]]);
    expect(acts('音箱重播')).toEqual([['speaker', 'previous', {}]]);
    expect(acts('电视转下一个台')).toEqual([['living_room_tv', 'turnOn', {}], ['living_room_tv', 'adjustChannel', { delta: 1 }]]);
  });

  it('a channel step stays a channel step', () => {
    expect(acts('电视下一台')).toEqual([['living_room_tv', 'turnOn', {}], ['living_room_tv', 'adjustChannel', { delta: 1 }]]);
    expect(acts('next channel')).toEqual([['living_room_tv', 'turnOn', {}], ['living_room_tv', 'adjustChannel', { delta: 1 }]]);
  });

  it('the playback trait: skipping plays the track skipped to', () => {
    const attributes = {};
    expect(playback.commands.next.effect({ attributes, params: {}, state: { playback: 'paused' } } as never)).toEqual({ playback: 'playing' });
    expect(playback.commands.previous.effect({ attributes, params: {}, state: { playback: 'stopped' } } as never)).toEqual({ playback: 'playing' });
  });
});

describe('继续 and 恢复 resume playback (HassMediaUnpause), not power', () => {
  it('a player resumes; a vacuum or a washer carries on with its work', () => {
    expect(acts('音箱继续播放')).toEqual([['speaker', 'play', {}]]);
    expect(acts('音箱继续')).toEqual([['speaker', 'play', {}]]);
    expect(acts('恢復音箱')).toEqual([['speaker', 'play', {}]]);
    expect(acts('扫地机继续扫地')).toEqual([['robot_vacuum', 'startCleaning', {}]]);
    expect(acts('洗衣机继续')).toEqual([['washing_machine', 'startProgram', {}]]);
  });
});

describe('going back a track is not going back to the dock', () => {
  it('"go back to the previous song", "skip the track"', () => {
    expect(acts('go back to the previous song on the speaker')).toEqual([['speaker', 'previous', {}]]);
    expect(acts('skip the track on the speaker')).toEqual([['speaker', 'next', {}]]);
  });

  it('"go back" is either: a player goes back a track, a robot to its dock; the device said decides', () => {
    expect(acts('go back on the speaker')).toEqual([['speaker', 'previous', {}]]);
    expect(reply('go back on the speaker')).toBe('Speaker back to the previous track.');
    expect(acts('robot vacuum go back')).toEqual([['robot_vacuum', 'returnToDock', {}]]);
    expect(acts('send the robot back')).toEqual([['robot_vacuum', 'returnToDock', {}]]);
    expect(acts('replay on the tv')).toEqual([['living_room_tv', 'previous', {}]]);
  });

  it('another verb of the clause picks the meaning: "go back to the dock" is the dock', () => {
    expect(acts('go back to the dock')).toEqual([['robot_vacuum', 'returnToDock', {}]]);
  });

  it('said to no device, "go back" asks which of the devices that can do either', () => {
    expect(reply('go back')).toBe('Which one do you mean: the TV, the speaker, the robot vacuum or the car stereo?');
  });
});

describe('"tv show" is what is on, not the TV by name', () => {
  it('暂停客厅tv show pauses the living room\'s player, found by the place', () => {
    expect(acts('暂停客厅tv show')).toEqual([['living_room_tv', 'pause', {}]]);
    expect(reply('暂停客厅tv show')).toBe('电视已暂停。');
  });
});
