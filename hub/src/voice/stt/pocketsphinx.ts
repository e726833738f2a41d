/**
 * The default, offline engine: Debian's pocketsphinx with the en-us acoustic model, held to a JSGF grammar
 * generated from the home and the English vocabulary (grammar.ts). English only.
 *
 * `pocketsphinx_batch` decodes the whole utterance as one: `pocketsphinx_continuous -infile` cuts it at pauses
 * with its voice-activity detector and decodes each piece against the whole grammar, which lost a third of the
 * commands ("turn on the … | bathroom fan" → "unlock the lock"). Wider beams than the defaults (DECODER_ARGS) cost
 * about 0.1 s and recover commands the default pruning dropped (measured in docs/benchmarks.md).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { StewardError } from '@steward/device-adapters';
import type { Logger } from 'pino';
import type { HomeView } from '../../understanding/contract.ts';
import { LEXICONS } from '../../understanding/lexicon/index.ts';
import { langTagOf } from '../../core/lang-tags.ts';
import { encodeWav, pipeThrough, type Pcm16 } from '../audio.ts';
import type { SpeechToText, Transcript } from './engine.ts';
import { generateGrammar, parseCmuDict, type Pronunciations } from './grammar.ts';

export const POCKETSPHINX_DICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';

/**
 * Beams wider than the defaults (1e-48, 7e-29, 1e-48): the grammar is small, so the search stays fast. Dither:
 * audio with stretches of exact digital silence (synthesised speech, ffmpeg's resampler, a muted line) breaks the
 * decoder's noise estimate, and half a bit of noise restores it ("turn on the kids room light" heard as "yeah").
 */
const DECODER_ARGS = ['-beam', '1e-60', '-wbeam', '1e-40', '-pbeam', '1e-60', '-dither', 'yes'];

export interface PocketsphinxOptions {
  binary: string;
  dictFile: string;
  view: HomeView;
  logger: Logger;
  timeoutMs?: number;
}

export function createPocketsphinx(opts: PocketsphinxOptions): SpeechToText {
  const dir = mkdtempSync(join(tmpdir(), 'steward-voice-'));
  let pronunciations: Pronunciations | undefined;
  let compiledFor = -1;
  let timer: NodeJS.Timeout | undefined;
  let files = { gram: join(dir, 'home.gram'), dict: join(dir, 'home.dict') };

  /** (re)writes the grammar when the home's version moved; cheap to call on every utterance */
  function grammar(): typeof files {
    if (compiledFor === opts.view.version) return files;
    pronunciations ??= parseCmuDict(readFileSync(opts.dictFile, 'utf8'));
    const g = generateGrammar(opts.view, LEXICONS.en, pronunciations);
    // new file names per version: a decode still running keeps reading the old pair
    const v = opts.view.version;
    files = { gram: join(dir, `home-${v}.gram`), dict: join(dir, `home-${v}.dict`) };
    writeFileSync(files.gram, g.jsgf);
    writeFileSync(files.dict, g.dict);
    compiledFor = v;
    opts.logger.info({ version: v, words: g.words }, 'voice grammar generated from the home');
    return files;
  }

  return {
    name: 'pocketsphinx',
    languages: ['en'],
    homeChanged() {
      // seeding a home changes it many times in a row: regenerate once it settles, off the request path
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        try {
          grammar();
        } catch (err) {
          opts.logger.error({ err }, 'voice grammar generation failed');
        }
      }, 200);
      timer.unref();
    },
    async transcribe(audio: Pcm16, { lang }): Promise<Transcript> {
      if (lang && (langTagOf(lang) ?? lang) !== 'en') {
        throw new StewardError('BAD_REQUEST', `the pocketsphinx engine is English only; for '${lang}' configure a Whisper (openai), Wyoming or sherpa-onnx engine (docs/voice.md)`);
      }
      const { gram, dict } = grammar();
      // the batch decoder reads a control file naming the utterance (without extension) and writes a hypothesis file
      const id = randomUUID();
      const wav = join(dir, `${id}.wav`);
      const ctl = join(dir, `${id}.ctl`);
      const hyp = join(dir, `${id}.hyp`);
      writeFileSync(wav, encodeWav(audio));
      writeFileSync(ctl, `${id}\n`);
      try {
        const args = ['-adcin', 'yes', '-adchdr', '44', '-samprate', String(audio.sampleRate), '-cepdir', dir, '-cepext', '.wav', '-ctl', ctl, '-hyp', hyp, '-jsgf', gram, '-dict', dict, '-logfn', '/dev/null', ...DECODER_ARGS];
        await run(opts.binary, args, opts.timeoutMs ?? 10_000);
        return { text: parseHypothesis(readFileSync(hyp, 'utf8')), lang: 'en' };
      } finally {
        for (const f of [wav, ctl, hyp]) rmSync(f, { force: true });
      }
    },
    close() {
      if (timer) clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** a hypothesis line is `words (utterance-id score)`; nothing recognised leaves just the parenthesis */
export function parseHypothesis(line: string): string {
  return line.replace(/\([^()]*\)\s*$/, '').replace(/\s+/g, ' ').trim();
}

/** the decoder reads its file argument, not stdin: the shared bounded runner with nothing to pipe in */
async function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  try {
    return (await pipeThrough(cmd, args, Buffer.alloc(0), timeoutMs)).toString();
  } catch (e) {
    throw new StewardError('INTERNAL', (e as Error).message);
  }
}
