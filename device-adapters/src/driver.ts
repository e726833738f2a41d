import type { DeviceDescriptor } from './home.ts';
import type { State } from './trait.ts';

/**
 * A change reported by a driver. `state` holds actual values that changed; `targets` holds commanded values of
 * gradual fields still on their way (Homie `$target`), with `null` when a target is reached or dropped.
 */
export interface StateUpdate {
  state: State;
  targets: Record<string, State[string] | null>;
}

/**
 * The narrow interface between the node agent and a device. A real driver (a TV's IR blaster, a car's CAN bus) and
 * a simulated one implement it the same way; the agent never knows which it has.
 */
export interface DeviceDriver {
  readonly descriptor: DeviceDescriptor;
  /** the device is simulated: benchmarks may reset it */
  readonly simulated: boolean;
  /** actual values of every field */
  state(): State;
  /** commanded values of gradual fields still moving */
  targets(): State;
  /** Executes a command; resolves when the device has accepted it. Throws a StewardError on refusal. */
  execute(command: string, params: Record<string, unknown>): Promise<void>;
  /** Back to the initial state (simulators only; a real driver throws NOT_SIMULATED). */
  reset(): Promise<void>;
  /** Reports every change, including the ones the device makes by itself (a washer counting down). */
  onUpdate(listener: (update: StateUpdate) => void): () => void;
  close(): Promise<void>;
  /** a `microphone` device: each utterance it captures (push-to-talk, voice activity), for the agent to send to the hub */
  onUtterance?(listener: (utterance: CapturedUtterance) => void): () => void;
  /**
   * a `microphone` that streams what it hears, frame after frame (a car's cabin microphone, a speaker's far-field
   * array): the node agent finds the utterances in the stream itself (voice activity) and sends each to the hub
   */
  onAudio?(listener: (frame: AudioFrame) => void): () => void;
  /** an `audioOutput` device: plays the hub's spoken reply */
  play?(audio: PlayableAudio): Promise<void>;
}

export interface CapturedUtterance {
  audio: Buffer;
  mime: 'audio/wav';
  /** the language the user speaks, when the device knows it */
  lang?: string;
}

/** a piece of a microphone's continuous stream: mono 16-bit PCM, any length, one sample rate per stream */
export interface AudioFrame {
  samples: Int16Array;
  sampleRate: number;
  /** the language the user speaks, when the device knows it */
  lang?: string;
}

export interface PlayableAudio {
  data: Buffer;
  mime: string;
  lang: string;
}
