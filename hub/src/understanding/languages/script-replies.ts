/** A reply module said in another script or dialect: every sentence of the base module, rewritten. */
import type { Replies } from '../replies/types.ts';

export function rewrittenReplies(base: Replies, rewrite: (text: string) => string): Replies {
  return {
    done: (parts, delayMs) => rewrite(base.done(parts, delayMs)),
    scene: (name, delayMs) => rewrite(base.scene(name, delayMs)),
    refusal: (device, refusal) => rewrite(base.refusal(device, refusal)),
    unknownDevice: (name) => rewrite(base.unknownDevice(name)),
    noneInArea: (type, areas) => rewrite(base.noneInArea(type, areas)),
    noneInHome: (type) => rewrite(base.noneInHome(type)),
    ambiguous: (devices) => rewrite(base.ambiguous(devices)),
    miscount: (count, devices) => rewrite(base.miscount(count, devices)),
    whichDevice: () => rewrite(base.whichDevice()),
    notUnderstood: () => rewrite(base.notUnderstood()),
    fragment: (text) => rewrite(base.fragment(text)),
    nodeNotDevice: (name) => rewrite(base.nodeNotDevice(name)),
    answer: (answers) => rewrite(base.answer(answers)),
    // the base sees describe's text before the rewrite: rewriting is idempotent, so describe passes in base form
    say: (phrase, describe) => rewrite(base.say(phrase, describe)),
    describeAction: (action, device, state) => rewrite(base.describeAction(action, device, state)),
  };
}
