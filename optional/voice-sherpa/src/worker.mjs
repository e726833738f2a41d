// The sherpa-onnx decoding process. The hub forks it (hub/src/voice/stt/sherpa.ts) so that the model loads once and
// is reused, decoding never runs on the hub's event loop, and a model onnxruntime cannot read (sherpa-onnx exits
// or aborts on some load errors) ends this process, not the hub. Plain JavaScript: it runs under bare node.
//
// IPC (advanced serialization, typed arrays as is):
//   hub → worker  {type:'load', recognizer, vad?}       → {type:'loaded', ms} | {type:'error', message}
//   hub → worker  {type:'decode', id, samples, sampleRate} → {type:'result', id, text, segments, lang?, ms}
//                                                         | {type:'error', id, message}
// The hub validates every reply; this side trusts the hub (its parent).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** @type {any} */
let sherpa;
/** @type {any} */
let recognizer;
/** @type {any} */
let vadConfig;
/** seconds of audio kept around each voiced segment: the detector's windows clip onsets and tails */
let padSeconds = 0.25;

function send(msg) {
  process.send?.(msg);
}

async function load(msg) {
  const t0 = performance.now();
  sherpa = require('sherpa-onnx-node');
  recognizer = await sherpa.OfflineRecognizer.createAsync(msg.recognizer);
  if (msg.vad) {
    vadConfig = msg.vad.config;
    padSeconds = msg.vad.padSeconds;
    // build one now so a bad VAD model fails at load, not on the first utterance
    new sherpa.Vad(vadConfig, 1);
  }
  send({ type: 'loaded', ms: Math.round(performance.now() - t0) });
}

/** [start, end) sample ranges of speech, padded and merged; the whole clip when no VAD is configured */
function voicedRanges(samples, sampleRate) {
  if (!vadConfig) return [[0, samples.length]];
  const vad = new sherpa.Vad(vadConfig, Math.ceil(samples.length / sampleRate) + 1);
  const win = vadConfig.sileroVad.windowSize;
  const raw = [];
  const drain = () => {
    while (!vad.isEmpty()) {
      const seg = vad.front(false);
      raw.push([seg.start, seg.start + seg.samples.length]);
      vad.pop();
    }
  };
  for (let i = 0; i + win <= samples.length; i += win) {
    vad.acceptWaveform(samples.subarray(i, i + win));
    drain();
  }
  vad.flush();
  drain();
  const pad = Math.round(padSeconds * sampleRate);
  const merged = [];
  for (const [s, e] of raw) {
    const start = Math.max(0, s - pad);
    const end = Math.min(samples.length, e + pad);
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;

async function decode(msg) {
  const t0 = performance.now();
  const ranges = voicedRanges(msg.samples, msg.sampleRate);
  const texts = [];
  let lang;
  for (const [s, e] of ranges) {
    const stream = recognizer.createStream();
    stream.acceptWaveform({ samples: msg.samples.subarray(s, e), sampleRate: msg.sampleRate });
    const r = await recognizer.decodeAsync(stream);
    const text = String(r.text ?? '').trim();
    if (text) texts.push(text);
    // whisper and SenseVoice say what they heard: '<|en|>' or 'en'
    if (!lang && typeof r.lang === 'string' && r.lang) lang = r.lang.replace(/[<|>]/g, '');
  }
  // pieces of Chinese join without a space, anything else with one
  let text = '';
  for (const t of texts) text += text && !(CJK.test(text.at(-1)) && CJK.test(t[0])) ? ` ${t}` : t;
  send({ type: 'result', id: msg.id, text, segments: ranges.map(([s, e]) => [s / msg.sampleRate, e / msg.sampleRate]), ...(lang ? { lang } : {}), ms: Math.round(performance.now() - t0) });
}

process.on('message', (msg) => {
  const run = msg.type === 'load' ? load(msg) : msg.type === 'decode' ? decode(msg) : Promise.reject(new Error(`unknown message ${msg.type}`));
  run.catch((e) => send({ type: 'error', ...(msg.id !== undefined ? { id: msg.id } : {}), message: e instanceof Error ? e.message : String(e) }));
});
// the hub went away: nothing left to serve
process.on('disconnect', () => process.exit(0));
