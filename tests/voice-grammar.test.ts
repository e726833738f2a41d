/**
 * The default engine's grammar, generated from the benchmark home and the English vocabulary: its shape, its
 * dictionary, and the decoder's hypothesis line. (Accuracy on spoken audio: npm run bench:voice.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { homeViewFromHome } from '@steward/hub/understanding/index.ts';
import { LEXICONS } from '@steward/hub/understanding/lexicon/index.ts';
import { generateGrammar, nonRhotic, numberWords, parseCmuDict } from '@steward/hub/voice/stt/grammar.ts';
import { parseHypothesis, POCKETSPHINX_DICT } from '@steward/hub/voice/stt/pocketsphinx.ts';
import { home } from './helpers/understanding.ts';

const g = generateGrammar(homeViewFromHome(home), LEXICONS.en, parseCmuDict(readFileSync(POCKETSPHINX_DICT, 'utf8')));
const rule = (name: string) => g.jsgf.split('\n').find((l) => l.startsWith(`<${name}> =`)) ?? '';

describe('the pocketsphinx grammar', () => {
  it('verbs come from the vocabulary, each with the devices whose traits take it', () => {
    const clause = rule('clause');
    // the first three close verbs of the lexicon: "closed", "close", "shut"; only with position devices
    expect(clause).toContain('(close | closed | open | open up | pull open | shut) <t_position>');
    expect(clause).toContain('(power off | power on | switch off | switch on | turn off | turn on) <t_onOff>');
    expect(clause).toContain('(power | switch | turn) <t_onOff> (off | on)');
    // option values the home declares, short unknown ones spelled
    expect(clause).toContain('(antenna | hdmi | hdmi one | hdmi two | second hdmi | tuner | tv | usb | usb stick)');
  });

  it('targets are names, kinds, "area kind" and "kind in the area" of the devices that have the trait', () => {
    const position = rule('t_position');
    for (const p of ['drapes', 'bedroom curtains', 'curtains in the master bedroom', 'car trunk', 'boot']) expect(position).toContain(p);
    expect(position).not.toContain('kitchen light');
    expect(rule('a_thermostat')).toBe('<a_thermostat> = [the] (bathroom | bedroom | car | childrens room | kids room | living room | lounge | master bedroom);');
  });

  it('numbers are words; temperatures only within the home thermostats\' range', () => {
    expect(numberWords(24)).toBe('twenty four');
    expect(numberWords(100)).toBe('one hundred');
    expect(rule('number')).toContain('| fifty five |');
    expect(rule('degrees')).toMatch(/^<degrees> = \(eighteen \| /);
    expect(rule('degrees')).not.toContain('ninety');
  });

  it('the dictionary holds exactly the grammar\'s words, with non-rhotic variants', () => {
    const dictWords = new Set(g.dict.trim().split('\n').map((l) => l.split(' ')[0]!.replace(/\(\d+\)$/, '')));
    const gramWords = new Set(g.jsgf.split('\n').slice(3).join(' ').replace(/<[^>]+>|[()|[\]=;]/g, ' ').split(/\s+/).filter(Boolean));
    expect([...gramWords].filter((w) => !dictWords.has(w))).toEqual([]);
    expect(g.dict).toContain('start S T AA R T\nstart(2) S T AA T\n');
    expect(nonRhotic('S T AA R T')).toBe('S T AA T');
    expect(nonRhotic('R EH D')).toBeUndefined();
    expect(nonRhotic('K AA R IH JH')).toBeUndefined(); // an r before a vowel stays
  });

  it('the batch decoder\'s hypothesis line gives the words, or nothing', () => {
    expect(parseHypothesis('turn on the tv (1b2c -7260)\n')).toBe('turn on the tv');
    expect(parseHypothesis(' (1b2c 0)\n')).toBe('');
  });
});
