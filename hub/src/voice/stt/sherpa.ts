/**
 * sherpa-onnx (open vocabulary, Chinese and English) with a model folder the user supplies. `sherpa-onnx-node` is
 * not part of the base install (it bundles onnxruntime): it is looked up only when this engine is configured, and
 * its absence is a clear error saying what to install.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { StewardError } from '@steward/device-adapters';
import type { SpeechToText } from './engine.ts';

export function createSherpaStt(modelDir: string): SpeechToText {
  if (!existsSync(modelDir)) throw new StewardError('BAD_REQUEST', `voice.sttModelDir: the sherpa-onnx model folder ${modelDir} does not exist`);
  const files = readdirSync(modelDir);
  if (!files.some((f) => f.endsWith('.onnx')) || !files.includes('tokens.txt')) {
    throw new StewardError('BAD_REQUEST', `voice.sttModelDir: ${modelDir} holds no sherpa-onnx model (*.onnx and tokens.txt)`);
  }
  try {
    createRequire(import.meta.url).resolve('sherpa-onnx-node');
  } catch {
    throw new StewardError('UNAVAILABLE', 'voice is disabled: the sherpa-onnx engine needs the npm package sherpa-onnx-node (npm i -w hub sherpa-onnx-node@1.13.8)');
  }
  // Decoding with a user model is not wired in this build: say so rather than guess a model layout.
  throw new StewardError('UNAVAILABLE', 'voice is disabled: sherpa-onnx decoding is not implemented yet in this build (docs/voice.md)');
}
