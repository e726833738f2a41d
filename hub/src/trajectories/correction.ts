/**
 * Is a follow-up a correction of what the hub just did ("no, the other one", "不是这个，是落地灯")? Said soon after
 * a request in the same conversation, it is recorded on that request's trajectory: the sign that the hub got it
 * wrong, which is what makes trajectories worth learning from. Words only; the conversation decides what to do.
 */
const EN = [
  /^\s*(no|nope|nah)\b[\s,.!]*(not|the other|i meant|i said|wrong|that'?s not|i wanted|instead)/i,
  /^\s*(no|nope)\s*[,.!]\s*\S/i,
  /^\s*(not (that|this|the)\b|wrong (one|device|room|light)|the other one|i meant\b|i said\b|that'?s not what i)/i,
  /\b(the other one|not that one|wrong one|i meant)\b/i,
];
const ZH = [/^\s*(不是|不对|错了|搞错|我是说|我说的是|换一个|另一个)/, /(不是这个|不是那个|另一个|弄错了|搞错了)/];

export function isCorrection(text: string): boolean {
  return EN.some((r) => r.test(text)) || ZH.some((r) => r.test(text));
}
