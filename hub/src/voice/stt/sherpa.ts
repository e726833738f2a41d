/**
 * sherpa-onnx (open vocabulary, Chinese and English) with a model folder the user supplies, and silero voice-activity
 * detection with a `silero_vad.onnx` the user supplies.
 *
 * `sherpa-onnx-node` (with its bundled onnxruntime) is not part of the base install: it is the optional package
 * optional/voice-sherpa (`npm run install:voice-sherpa`). The engine forks that package's worker process
 * (worker.mjs) once, which loads the model once and decodes every utterance: decoding never blocks the hub's event
 * loop, and a model onnxruntime cannot read (sherpa-onnx exits or aborts on some load errors) ends the worker, not
 * the hub. Every reply from the worker is validated.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';
import { langTagOf } from '../../core/lang-tags.ts';
import type { Pcm16 } from '../audio.ts';
import type { SpeechToText } from './engine.ts';
import { recognizerConfig, resolveSherpaModel, VAD_FILE, type SherpaFamily, type SherpaModel } from './sherpa-model.ts';

/** where the optional package lives in a checkout */
export const SHERPA_PACKAGE_DIR = fileURLToPath(new URL('../../../../optional/voice-sherpa/', import.meta.url));
export const SHERPA_INSTALL_COMMAND = 'npm run install:voice-sherpa';

/** Is sherpa-onnx-node installed for this engine? */
export function sherpaInstalled(dir = SHERPA_PACKAGE_DIR): boolean {
  return existsSync(join(dir, 'node_modules', 'sherpa-onnx-node', 'package.json')) && existsSync(join(dir, 'src', 'worker.mjs'));
}

const WorkerReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('loaded'), ms: z.number() }),
  z.object({ type: z.literal('result'), id: z.number().int(), text: z.string().max(10_000), segments: z.array(z.tuple([z.number(), z.number()])).max(1000), lang: z.string().max(32).optional(), ms: z.number() }),
  z.object({ type: z.literal('error'), id: z.number().int().optional(), message: z.string().max(10_000) }),
]);
type Result = Extract<z.infer<typeof WorkerReply>, { type: 'result' }>;

export interface SherpaOptions {
  modelDir: string;
  family?: SherpaFamily | 'auto';
  /**
   * a silero_vad.onnx; default the model folder's, else the one `install:voice-sherpa` fetched (models/); `false`:
   * no voice-activity detection, the clip is decoded whole
   */
  vadModel?: string | false;
  /** languages this model is for ('en', 'zh'); undefined = whatever it knows */
  languages?: readonly string[];
  numThreads?: number;
  logger: Logger;
  packageDir?: string;
  /** per utterance, then the worker is restarted */
  timeoutMs?: number;
}

export interface SherpaStt extends SpeechToText {
  readonly model: SherpaModel;
  /** the voiced parts of the last utterance, in seconds (what the VAD kept) */
  readonly lastSegments: ReadonlyArray<readonly [number, number]>;
  /** the worker's process id while it runs */
  readonly pid: number | undefined;
}

const MAX_WAITING = 16;
/** a large whisper model loads in seconds; minutes means something is wrong */
const LOAD_TIMEOUT_MS = 120_000;

export function createSherpaStt(opts: SherpaOptions): SherpaStt {
  const dir = opts.packageDir ?? SHERPA_PACKAGE_DIR;
  const model = resolveSherpaModel(opts.modelDir, opts.family ?? 'auto');
  if (!sherpaInstalled(dir)) {
    throw new StewardError('UNAVAILABLE', `voice is disabled: the sherpa-onnx engine needs the optional package sherpa-onnx-node (about 32 MB with its onnxruntime), which is not installed: run \`${SHERPA_INSTALL_COMMAND}\` in the Steward checkout (${dir})`);
  }
  const vadModel = opts.vadModel === false ? undefined : (opts.vadModel ?? [join(opts.modelDir, VAD_FILE), join(dir, 'models', VAD_FILE)].find((f) => existsSync(f)));
  const language = opts.languages?.length === 1 ? opts.languages[0] : undefined;
  const load = {
    type: 'load',
    recognizer: recognizerConfig(model, { numThreads: opts.numThreads ?? 2, ...(language ? { language } : {}) }),
    ...(vadModel
      ? {
          vad: {
            config: { sileroVad: { model: vadModel, threshold: 0.5, minSilenceDuration: 0.5, minSpeechDuration: 0.25, windowSize: 512, maxSpeechDuration: 15 }, sampleRate: 16_000, numThreads: 1, provider: 'cpu', debug: 0 },
            padSeconds: 0.25,
          },
        }
      : {}),
  };
  const log = opts.logger.child({ engine: 'sherpa-onnx' });
  let child: ChildProcess | undefined;
  let loading: Promise<void> | undefined;
  let stderrTail = '';
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();
  let queue: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  let closed = false;
  let lastSegments: Array<[number, number]> = [];

  /** sherpa-onnx's own reason: from its first `…/csrc/x.cc:Fn:line` message on, else what it printed last */
  const why = () => {
    const lines = stderrTail.split('\n').map((l) => l.trim()).filter(Boolean);
    const at = lines.findIndex((l) => /csrc\/[\w-]+\.(cc|h):/.test(l));
    const shown = at >= 0 ? lines.slice(at, at + 2) : lines.slice(-3);
    return shown.length ? `: ${shown.join(' | ')}` : '';
  };

  function start(): Promise<void> {
    stderrTail = '';
    const proc = fork(join(dir, 'src', 'worker.mjs'), [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
    child = proc;
    proc.stderr!.on('data', (d: Buffer) => {
      stderrTail = (stderrTail + d.toString('utf8')).slice(-2000);
    });
    return new Promise<void>((resolve, reject) => {
      let loaded = false;
      // a load that never answers must not hold the hub's start forever
      const loadTimer = setTimeout(() => {
        reject(new StewardError('UNAVAILABLE', `voice is disabled: the sherpa-onnx model in ${opts.modelDir} did not load within ${LOAD_TIMEOUT_MS / 1000} s${why()}`));
        proc.kill('SIGKILL');
      }, LOAD_TIMEOUT_MS);
      proc.on('message', (raw) => {
        const m = WorkerReply.safeParse(raw);
        if (!m.success) {
          log.error({ issues: m.error.issues.slice(0, 3) }, 'the sherpa-onnx worker sent a malformed reply');
          return;
        }
        const msg = m.data;
        if (msg.type === 'loaded') {
          loaded = true;
          clearTimeout(loadTimer);
          log.info({ family: model.family, vad: vadModel ?? 'none', ms: msg.ms, pid: proc.pid }, 'sherpa-onnx model loaded');
          resolve();
        } else if (msg.type === 'result') {
          pending.get(msg.id)?.resolve(msg);
          pending.delete(msg.id);
        } else if (msg.id !== undefined) {
          pending.get(msg.id)?.reject(new StewardError('DRIVER_ERROR', `sherpa-onnx could not decode the audio: ${msg.message}`));
          pending.delete(msg.id);
        } else if (!loaded) {
          reject(new StewardError('UNAVAILABLE', `voice is disabled: the sherpa-onnx model in ${opts.modelDir} could not be loaded: ${msg.message}${why()}`));
          proc.kill();
        }
      });
      proc.on('exit', (code, signal) => {
        clearTimeout(loadTimer);
        if (child === proc) child = undefined;
        loading = undefined;
        const how = signal ? `signal ${signal}` : `code ${code}`;
        if (!loaded) reject(new StewardError('UNAVAILABLE', `voice is disabled: the sherpa-onnx model in ${opts.modelDir} could not be loaded (the sherpa-onnx worker process exited with ${how})${why()}`));
        else if (!closed) log.error({ code, signal, stderr: stderrTail.slice(-500) }, 'the sherpa-onnx worker exited; it restarts on the next utterance');
        for (const [, p] of pending) p.reject(new StewardError('DRIVER_ERROR', `the sherpa-onnx worker process exited (${how})${why()}`));
        pending.clear();
      });
      proc.send(load);
    });
  }

  function ready(): Promise<void> {
    if (closed) return Promise.reject(new StewardError('UNAVAILABLE', 'the sherpa-onnx engine is closed'));
    loading ??= start();
    return loading;
  }

  async function decodeOne(samples: Float32Array): Promise<Result> {
    await ready();
    const id = nextId++;
    const proc = child!;
    return new Promise<Result>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new StewardError('TIMEOUT', `sherpa-onnx took longer than ${(opts.timeoutMs ?? 30_000) / 1000} s; its worker process is restarted`));
        proc.kill('SIGKILL');
      }, opts.timeoutMs ?? 30_000);
      pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      proc.send({ type: 'decode', id, samples, sampleRate: 16_000 });
    });
  }

  return {
    name: 'sherpa-onnx',
    ...(opts.languages ? { languages: opts.languages } : {}),
    model,
    get lastSegments() {
      return lastSegments;
    },
    get pid() {
      return child?.pid;
    },
    ready,
    async transcribe(audio: Pcm16, { lang }) {
      const tag = lang ? (langTagOf(lang) ?? lang).split('-')[0]! : undefined;
      if (tag && opts.languages && !opts.languages.includes(tag)) {
        throw new StewardError('BAD_REQUEST', `this sherpa-onnx model is configured for ${opts.languages.join(', ')}, not '${lang}' (--voice-stt-languages)`);
      }
      if (audio.sampleRate !== 16_000) throw new StewardError('INTERNAL', `sherpa-onnx gets 16 kHz audio, not ${audio.sampleRate} Hz`);
      if (waiting >= MAX_WAITING) throw new StewardError('UNAVAILABLE', `the sherpa-onnx engine is busy (${waiting} utterances waiting)`);
      const samples = new Float32Array(audio.samples.length);
      for (let i = 0; i < samples.length; i++) samples[i] = audio.samples[i]! / 32768;
      // one utterance at a time: the worker decodes on its own threads, the hub only waits
      waiting++;
      const run = queue.then(() => decodeOne(samples));
      queue = run.catch(() => undefined);
      try {
        const r = await run;
        lastSegments = r.segments;
        log.debug({ ms: r.ms, segments: r.segments.length }, 'sherpa-onnx decoded');
        const heard = r.lang && r.lang !== 'auto' ? r.lang : tag;
        return { text: r.text, ...(heard ? { lang: heard } : {}) };
      } finally {
        waiting--;
      }
    },
    close() {
      closed = true;
      const proc = child;
      child = undefined;
      if (proc && proc.exitCode === null) {
        proc.kill();
        return new Promise<void>((resolve) => {
          const t = setTimeout(() => (proc.kill('SIGKILL'), resolve()), 2000);
          proc.once('exit', () => (clearTimeout(t), resolve()));
        });
      }
    },
  };
}
