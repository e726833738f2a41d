/**
 * Signs that a request is open-ended (a situation or a goal, not a command): "I'm cold", "we're going out", "get
 * the car ready", "keep it quiet", "我有点冷". The rule engine answers such text with its best single guess (for "I'm
 * cold and want to watch a film": warmer water), so with a planner available these go to the planner, which can
 * take several steps. Without a planner the rules answer as before.
 */
const EN = [
  /\b(i'?m|i am|we'?re|we are|i feel|feeling|it'?s (getting )?(too )?(cold|hot|dark|stuffy|noisy|loud))\b/,
  /\b(i want|we want|want to|wanna|would like|i'?d like|we'?d like)\b/,
  /\bget (the |my |our )?[a-z ]{1,30} ready\b|\bready for\b/,
  /\b(keep it|keep things|asleep|sleeping|leave in|leaving|going out|go out|heading out|cosy|cozy)\b/,
];
const ZH = /我有点|我好|我想|我们要|我们出门|出门|睡了|睡着|准备好|安静点|小声点|舒服|要出发/;

export function looksOpenEnded(text: string): boolean {
  const t = text.toLowerCase().replace(/[’‘]/g, "'");
  return ZH.test(t) || EN.some((r) => r.test(t));
}
