import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CLIP_NAME,
  StewardError,
  commandEffect,
  fieldsOf,
  validateState,
  type DeviceDescriptor,
  parseWav,
  wavSamples,
  type AudioFrame,
  type CapturedUtterance,
  type DeviceDriver,
  type PlayableAudio,
  type State,
  type StateUpdate,
} from '@steward/device-adapters';
import { RealClock, type Clock } from './clock.ts';
import { MicStream, type MicStreamOptions } from './mic-stream.ts';
import { Motion, travelMs } from './motion.ts';
import { behavioursFor, type Behaviour, type BehaviourFactory, type DeviceHost } from './behaviours/index.ts';

export interface SimulatedDriverOptions {
  /** default: real time */
  clock?: Clock;
  /** the kind of node hosting the device (`car`, `gateway`...): picks node-specific rates */
  nodeKind?: string;
  /** default: the behaviours the device's traits call for */
  behaviours?: BehaviourFactory[];
  /** start here instead of at `initialState` (a saved state after a restart); `reset()` still goes to `initialState` */
  resumeFrom?: State;
  /**
   * microphone and audioOutput: the folder a `listen {clip}` reads its WAV from, and where the last spoken reply
   * is written (`played-<device>.wav`) so a test can hear what the device "played"
   */
  audioDir?: string;
  /**
   * a microphone that streams what it hears (the node agent finds the utterances by voice activity): `listen {clip}`
   * then plays the clip into the stream instead of sending it as one utterance
   */
  micStream?: MicStreamOptions;
}

/** a clip is read whole; anything larger is not an utterance (the hub refuses over 2 MB) */
const MAX_CLIP_BYTES = 8 * 1024 * 1024;

type Targets = StateUpdate['targets'];

/**
 * A device that behaves like the real thing: commands go through the device model (`commandEffect` validates them),
 * gradual fields move at the speed of the real mechanism with their commanded value held as a target, and
 * behaviours make the changes a device makes by itself. Every change is reported to the listeners.
 */
export class SimulatedDriver implements DeviceDriver {
  readonly simulated = true;
  readonly descriptor: DeviceDescriptor;
  private readonly initial: State;
  private readonly clock: Clock;
  private readonly factories: BehaviourFactory[];
  private readonly motion: Motion;
  private readonly listeners = new Set<(u: StateUpdate) => void>();
  private current: State;
  private pending: State = {};
  private behaviours: Behaviour[] = [];
  private closed = false;
  private readonly audioDir: string | undefined;
  private readonly utteranceListeners = new Set<(u: CapturedUtterance) => void>();
  private readonly stream: MicStream | undefined;
  private readonly frameListeners = new Set<(f: AudioFrame) => void>();
  /** only a streaming microphone has it: the agent then runs voice activity detection */
  readonly onAudio?: (listener: (f: AudioFrame) => void) => () => void;

  constructor(descriptor: DeviceDescriptor, initialState: State, options: SimulatedDriverOptions = {}) {
    const problems = validateState(descriptor, initialState, { complete: true });
    if (problems.length > 0) throw new StewardError('BAD_REQUEST', `initial state of ${descriptor.id}: ${problems.join('; ')}`);
    const resumeProblems = options.resumeFrom ? validateState(descriptor, options.resumeFrom, { complete: true }) : [];
    if (resumeProblems.length > 0) throw new StewardError('BAD_REQUEST', `saved state of ${descriptor.id}: ${resumeProblems.join('; ')}`);
    this.descriptor = descriptor;
    this.initial = { ...initialState };
    this.current = { ...(options.resumeFrom ?? initialState) };
    this.clock = options.clock ?? new RealClock();
    this.audioDir = options.audioDir;
    if (options.micStream && descriptor.traits.includes('microphone')) {
      this.stream = new MicStream(options.micStream, (f) => this.frameListeners.forEach((l) => l(f)));
      this.onAudio = (listener) => {
        this.frameListeners.add(listener);
        return () => this.frameListeners.delete(listener);
      };
    }
    this.factories = options.behaviours ?? behavioursFor(descriptor, options.nodeKind);
    this.motion = new Motion(this.clock, (field, value, reached) => this.moved(field, value, reached));
    this.attachBehaviours();
  }

  state(): State {
    return { ...this.current };
  }

  targets(): State {
    return { ...this.pending };
  }

  async execute(command: string, params: Record<string, unknown>): Promise<void> {
    this.ensureOpen();
    const before = this.state();
    let patch = commandEffect(this.descriptor, before, command, params);
    // push-to-talk: the clip is read before the state changes, so a missing one fails the command cleanly
    const heard = command === 'listen' ? await this.capture(params) : undefined;
    for (const b of this.behaviours) if (b.onCommand) patch = b.onCommand(command, patch, before);

    const fields = fieldsOf(this.descriptor);
    const immediate: State = {};
    const targets: Targets = {};
    if (command === 'stopMoving') this.stopMoving(immediate, targets);
    for (const [field, value] of Object.entries(patch)) {
      if (fields[field]?.gradual && typeof value === 'number') this.startMove(field, value, targets);
      else immediate[field] = value;
    }
    this.commit(immediate, targets);
    if (heard) for (const l of this.utteranceListeners) l(heard);
  }

  onUtterance(listener: (u: CapturedUtterance) => void): () => void {
    this.utteranceListeners.add(listener);
    return () => this.utteranceListeners.delete(listener);
  }

  /** an audioOutput "plays" the reply: it reports what it played and keeps the audio in its folder */
  async play(audio: PlayableAudio): Promise<void> {
    this.ensureOpen();
    if (!this.descriptor.traits.includes('audioOutput')) throw new StewardError('UNSUPPORTED_COMMAND', `${this.descriptor.id} has no audioOutput`);
    if (this.audioDir) await writeFile(join(this.audioDir, `played-${this.descriptor.id}.wav`), audio.data);
    const played = typeof this.current.played === 'number' ? this.current.played : 0;
    this.commit({ lastPlayedBytes: audio.data.length, lastPlayedMime: audio.mime, lastPlayedLang: audio.lang, played: played + 1 }, {});
  }

  private async capture(params: Record<string, unknown>): Promise<CapturedUtterance | undefined> {
    const clip = typeof params.clip === 'string' ? params.clip : 'utterance.wav';
    if (!CLIP_NAME.test(clip)) throw new StewardError('INVALID_VALUE', `a clip is a .wav file name: ${JSON.stringify(clip)}`);
    if (!this.audioDir) throw new StewardError('BAD_REQUEST', `${this.descriptor.id} has no audio folder (simulator option audioDir): nothing to listen to`);
    let audio: Buffer;
    try {
      audio = await readFile(join(this.audioDir, clip));
    } catch (e) {
      throw new StewardError('NOT_FOUND', `${this.descriptor.id}: no clip ${clip} in ${this.audioDir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (audio.length > MAX_CLIP_BYTES) throw new StewardError('PAYLOAD_TOO_LARGE', `${this.descriptor.id}: clip ${clip} is ${audio.length} bytes`);
    if (this.stream) {
      // heard in the stream, in turn: the agent's voice activity detection finds the words (or nothing)
      const lang = typeof params.lang === 'string' ? params.lang : undefined;
      try {
        this.stream.play(wavSamples(parseWav(audio)), lang);
      } catch (e) {
        throw new StewardError(e instanceof StewardError ? e.code : 'BAD_REQUEST', `${this.descriptor.id}: clip ${clip}: ${(e as Error).message}`);
      }
      return undefined;
    }
    return { audio, mime: 'audio/wav', ...(typeof params.lang === 'string' ? { lang: params.lang } : {}) };
  }

  async reset(): Promise<void> {
    this.ensureOpen();
    this.detachBehaviours();
    this.motion.stopAll();
    const targets: Targets = Object.fromEntries(Object.keys(this.pending).map((f) => [f, null]));
    this.pending = {};
    this.current = { ...this.initial };
    // a reset reports every field, so a listener can republish the whole device
    this.emit({ state: this.state(), targets });
    this.attachBehaviours();
  }

  onUpdate(listener: (update: StateUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.detachBehaviours();
    this.motion.stopAll();
    this.listeners.clear();
    this.utteranceListeners.clear();
    this.stream?.close();
    this.frameListeners.clear();
  }

  private startMove(field: string, to: number, targets: Targets): void {
    const at = this.current[field];
    const from = typeof at === 'number' ? at : to;
    const range = fieldsOf(this.descriptor)[field]?.range?.(this.descriptor.attributes) ?? [0, 100];
    if (from === to) {
      // already there: a move in progress ends here
      if (this.motion.stop(field) !== undefined || field in this.pending) this.dropTarget(field, targets);
      return;
    }
    this.motion.moveTo(field, from, to, (range[1] - range[0]) / travelMs(this.descriptor.type, field));
    this.pending[field] = to;
    targets[field] = to;
  }

  private stopMoving(immediate: State, targets: Targets): void {
    for (const field of Object.keys(this.pending)) {
      const at = this.motion.stop(field);
      if (at !== undefined) immediate[field] = at;
      this.dropTarget(field, targets);
    }
  }

  private dropTarget(field: string, targets: Targets): void {
    delete this.pending[field];
    targets[field] = null;
  }

  private moved(field: string, value: number, reached: boolean): void {
    const targets: Targets = {};
    if (reached) this.dropTarget(field, targets);
    this.commit({ [field]: value }, targets);
  }

  /** applies the fields that really change, reports them with any target changes, then tells the behaviours */
  private commit(patch: State, targets: Targets): void {
    const changed: State = {};
    for (const [field, value] of Object.entries(patch)) {
      if (this.current[field] !== value) changed[field] = value;
    }
    Object.assign(this.current, changed);
    if (Object.keys(changed).length === 0 && Object.keys(targets).length === 0) return;
    this.emit({ state: changed, targets });
    if (Object.keys(changed).length > 0) for (const b of this.behaviours) b.afterChange?.(changed);
  }

  private emit(update: StateUpdate): void {
    for (const l of this.listeners) l(update);
  }

  private attachBehaviours(): void {
    const host: DeviceHost = {
      descriptor: this.descriptor,
      clock: this.clock,
      state: () => this.state(),
      apply: (patch) => {
        if (!this.closed) this.commit(patch, {});
      },
    };
    this.behaviours = this.factories.map((f) => f(host));
  }

  private detachBehaviours(): void {
    for (const b of this.behaviours) b.dispose();
    this.behaviours = [];
  }

  private ensureOpen(): void {
    if (this.closed) throw new StewardError('DRIVER_ERROR', `${this.descriptor.id} is closed`);
  }
}
