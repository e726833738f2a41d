import { createHash } from 'node:crypto';
import { ChunkAssembly, StewardError, VOICE_LIMITS, parseWav, type VoiceReply, type VoiceReplyChunk } from '@steward/device-adapters';

type Announced = NonNullable<Extract<VoiceReply, { ok: true }>['audioChunks']>;

export interface AssembledReply {
  utteranceId: string;
  deviceId: string;
  audio: Buffer;
  mime: string;
  lang: string;
}

interface Pending {
  reply: Extract<VoiceReply, { ok: true }> & { audioChunks: Announced };
  chunks: ChunkAssembly;
  timer: NodeJS.Timeout;
}

/** long replies on their way at once; an older one is given up for a newer */
const OPEN_REPLIES = 2;

/**
 * A long spoken reply put back together on the node: the reply announces its chunks (count, bytes, SHA-256), the
 * chunks follow in order on the same topic. The whole is handed on only when every chunk came and it matches what
 * was announced and reads as a WAV; a missing chunk (seen at the last one, or after VOICE_LIMITS.assembleMs), a
 * duplicate, an excess or a mismatch fails the reply with a clear message and nothing of it is played.
 */
export class ReplyAssembler {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly done: (r: AssembledReply) => void,
    private readonly failed: (utteranceId: string, e: StewardError) => void,
    private readonly timeoutMs: number = VOICE_LIMITS.assembleMs,
  ) {}

  announce(reply: Pending['reply']): void {
    if (this.pending.size >= OPEN_REPLIES) {
      const [oldest] = this.pending.keys();
      this.fail(oldest!, new StewardError('TIMEOUT', 'a newer spoken reply came before this one was complete'));
    }
    const id = reply.utteranceId;
    this.drop(id);
    const timer = setTimeout(() => this.fail(id, new StewardError('TIMEOUT', `${this.missing(id)} never came within ${this.timeoutMs} ms`)), this.timeoutMs).unref();
    this.pending.set(id, { reply, chunks: new ChunkAssembly(reply.audioChunks.total, reply.audioChunks.bytes), timer });
  }

  chunk(c: VoiceReplyChunk): void {
    const p = this.pending.get(c.utteranceId);
    if (!p) throw new StewardError('BAD_REQUEST', `a spoken reply chunk for ${c.utteranceId}, which no reply announced (or which already failed)`);
    const a = p.reply.audioChunks;
    try {
      if (c.seq >= a.total) throw new StewardError('BAD_REQUEST', `chunk ${c.seq} of a reply announced with ${a.total}`);
      const audio = p.chunks.add(c.seq, Buffer.from(c.data, 'base64'));
      if (!audio) {
        // chunks come in order: the last one with others still missing means they were lost
        if (c.seq === a.total - 1) throw new StewardError('BAD_REQUEST', `${this.missing(c.utteranceId)} missing at the last chunk`);
        return;
      }
      if (createHash('sha256').update(audio).digest('hex') !== a.sha256) throw new StewardError('BAD_REQUEST', 'the reassembled audio does not match its SHA-256');
      parseWav(audio);
      this.drop(c.utteranceId);
      this.done({ utteranceId: c.utteranceId, deviceId: p.reply.deviceId, audio, mime: a.mime, lang: a.lang });
    } catch (e) {
      this.fail(c.utteranceId, e instanceof StewardError ? e : new StewardError('BAD_REQUEST', (e as Error).message));
    }
  }

  close(): void {
    for (const id of [...this.pending.keys()]) this.drop(id);
  }

  private missing(id: string): string {
    const p = this.pending.get(id);
    const gaps = p ? p.chunks.missing() : [];
    return `chunk${gaps.length === 1 ? '' : 's'} ${gaps.join(', ')} of ${p?.chunks.total ?? 0}`;
  }

  private drop(id: string): void {
    const p = this.pending.get(id);
    if (p) clearTimeout(p.timer);
    this.pending.delete(id);
  }

  private fail(id: string, e: StewardError): void {
    if (!this.pending.has(id)) return;
    this.drop(id);
    this.failed(id, e);
  }
}
