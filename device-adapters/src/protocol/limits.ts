/** Size limits, enforced by both ends before parsing. */
export const LIMITS = {
  /** an RPC request or response */
  rpcPayloadBytes: 16 * 1024,
  /** a Homie `/set` value */
  setPayloadBytes: 1024,
  /** a Homie `$description` */
  descriptionBytes: 256 * 1024,
  /** transaction ids remembered per agent to answer repeats without executing twice */
  dedupeWindow: 512,
} as const;
