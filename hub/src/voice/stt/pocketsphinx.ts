/**
 * The default, offline engine: Debian's pocketsphinx (`pocketsphinx_continuous`) with the en-us acoustic model,
 * held to a JSGF grammar generated from the home and the English vocabulary (grammar.ts). English only.
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
      const wav = join(dir, `${randomUUID()}.wav`);
      writeFileSync(wav, encodeWav(audio));
      try {
        const out = await run(opts.binary, ['-infile', wav, '-jsgf', gram, '-dict', dict, '-logfn', '/dev/null'], opts.timeoutMs ?? 10_000);
        const text = out.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
        return { text, lang: 'en' };
      } finally {
        rmSync(wav, { force: true });
      }
    },
    close() {
      if (timer) clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** the decoder reads its file argument, not stdin: the shared bounded runner with nothing to pipe in */
async function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  try {
    return (await pipeThrough(cmd, args, Buffer.alloc(0), timeoutMs)).toString();
  } catch (e) {
    throw new StewardError('INTERNAL', (e as Error).message);
  }
}
