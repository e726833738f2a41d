import { randomUUID } from 'node:crypto';
import { VOICE_LIMITS, VoiceResMessageSchema, encodeWav, voiceChunks, voiceTopics, type AudioFrame, type CapturedUtterance, type DeviceDriver } from '@steward/device-adapters';
import type { Logger } from '../logger.ts';
import type { NodeDevices } from '../node-devices.ts';
import { ReplyAssembler, type AssembledReply } from './reply-assembly.ts';
import { VoiceActivitySegmenter, type VadOptions } from './vad.ts';

type Publish = (topic: string, payload: string) => Promise<void>;

/**
 * The node's side of spoken commands (device-adapters protocol/voice.ts): what a `microphone` driver captures goes
 * to the hub in chunks on the node's own voice topic (a push-to-talk utterance as it is, a continuous stream cut
 * into utterances by voice activity, vad.ts); the hub's reply is handed to an `audioOutput` driver (the
 * speaking device's own, else the node's first) to play.
 */
export class VoiceClient {
  constructor(
    private readonly nodeId: string,
    private readonly devices: NodeDevices,
    private readonly publish: Publish,
    private readonly log: Logger,
    private readonly vad: VadOptions,
  ) {}

  /** long spoken replies on their way in chunks; played once whole, never in part */
  private readonly replies = new ReplyAssembler(
    (r) => void this.play(r),
    (utteranceId, e) => this.log.error({ utteranceId, code: e.code }, `the spoken reply is incomplete and is not played: ${e.message}`),
  );

  /** true when a device of the node can hear: then the agent subscribes to the replies */
  get hasMicrophone(): boolean {
    return this.devices.all().some((d) => d.descriptor.traits.includes('microphone') && (d.onUtterance || d.onAudio));
  }

  /** listens to a driver's microphone; returns the unsubscriber (none when the driver cannot hear) */
  attach(driver: DeviceDriver): (() => void) | undefined {
    if (!driver.descriptor.traits.includes('microphone')) return undefined;
    const id = driver.descriptor.id;
    const offs: (() => void)[] = [];
    if (driver.onUtterance) offs.push(driver.onUtterance((u) => void this.send(id, u)));
    if (driver.onAudio) offs.push(this.listenToStream(id, driver.onAudio.bind(driver)));
    return offs.length > 0 ? () => offs.forEach((off) => off()) : undefined;
  }

  /** a streaming microphone: one segmenter per stream (a new one when the sample rate changes) */
  private listenToStream(deviceId: string, onAudio: NonNullable<DeviceDriver['onAudio']>): () => void {
    let segmenter: VoiceActivitySegmenter | undefined;
    let lang: string | undefined;
    return onAudio((frame: AudioFrame) => {
      // the language the device last knew (a frame of room noise after the words carries none)
      if (frame.lang) lang = frame.lang;
      if (!segmenter || segmenter.sampleRate !== frame.sampleRate) {
        segmenter = new VoiceActivitySegmenter(this.vad, frame.sampleRate, (u) => {
          const audio = encodeWav(u);
          this.log.info({ deviceId, startMs: Math.round(u.startMs), endMs: Math.round(u.endMs), cut: u.cut }, 'voice activity: an utterance');
          if (audio.length > VOICE_LIMITS.utteranceBytes) {
            this.log.warn({ deviceId, bytes: audio.length }, `an utterance over ${VOICE_LIMITS.utteranceBytes} bytes is not sent (lower vad.maxUtteranceMs)`);
            return;
          }
          void this.send(deviceId, { audio, mime: 'audio/wav', ...(lang ? { lang } : {}) });
        });
      }
      segmenter.push(frame.samples);
    });
  }

  private async send(deviceId: string, u: CapturedUtterance): Promise<void> {
    const utteranceId = randomUUID();
    const chunks = voiceChunks(u.audio, { utteranceId, deviceId, ...(u.lang ? { lang: u.lang } : {}) });
    this.log.info({ deviceId, utteranceId, bytes: u.audio.length, chunks: chunks.length }, 'sending an utterance to the hub');
    try {
      for (const c of chunks) await this.publish(voiceTopics.request(this.nodeId), JSON.stringify(c));
    } catch (e) {
      this.log.warn({ deviceId, utteranceId, err: (e as Error).message }, 'sending the utterance failed');
    }
  }

  /** the hub's answer on `steward/1/<node>/voice/res`: a reply, or a chunk of a long spoken one after it */
  async onReply(payload: Buffer): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      this.log.warn({ bytes: payload.length }, 'a voice reply that is not JSON was dropped');
      return;
    }
    const r = VoiceResMessageSchema.safeParse(json);
    if (!r.success) {
      this.log.warn({ issues: r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) }, 'an invalid voice reply was dropped');
      return;
    }
    const m = r.data;
    if ('kind' in m) {
      try {
        this.replies.chunk(m);
      } catch (e) {
        this.log.warn({ utteranceId: m.utteranceId, err: (e as Error).message }, 'a spoken reply chunk was dropped');
      }
      return;
    }
    if (!m.ok) {
      this.log.warn({ utteranceId: m.utteranceId, code: m.error.code }, `the hub refused the utterance: ${m.error.message}`);
      return;
    }
    this.log.info({ utteranceId: m.utteranceId, transcript: m.transcript, lang: (m.audio ?? m.audioChunks)?.lang }, `voice reply: ${m.reply}`);
    if (m.audioChunks) this.replies.announce({ ...m, audioChunks: m.audioChunks });
    else if (m.audio) await this.play({ utteranceId: m.utteranceId, deviceId: m.deviceId, audio: Buffer.from(m.audio.base64, 'base64'), mime: m.audio.mime, lang: m.audio.lang });
  }

  close(): void {
    this.replies.close();
  }

  private async play(r: AssembledReply): Promise<void> {
    const own = this.devices.find(r.deviceId);
    const out = own?.play && own.descriptor.traits.includes('audioOutput') ? own : this.devices.all().find((d) => d.play && d.descriptor.traits.includes('audioOutput'));
    if (!out) {
      this.log.info({ utteranceId: r.utteranceId }, 'no audio output on this node: the spoken reply is not played');
      return;
    }
    try {
      await out.play!({ data: r.audio, mime: r.mime, lang: r.lang });
    } catch (e) {
      this.log.warn({ deviceId: out.descriptor.id, err: (e as Error).message }, 'playing the spoken reply failed');
    }
  }
}
