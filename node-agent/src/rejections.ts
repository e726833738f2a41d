import { RejectionLog, type WarnLogger } from '@steward/device-adapters';

/**
 * What an agent refuses, by kind: `rpc-request` a request that does not decode (not JSON, wrong shape, too big, no
 * usable id); `rpc-refused` a well-formed command the device model or the confirm guard refuses (bad parameters, an
 * unknown device or command, an unsigned confirm-listed change); `set` a Homie /set that is ignored or refused.
 */
export const AGENT_REJECTION_KINDS = ['rpc-request', 'rpc-refused', 'set'] as const;
export type AgentRejectionKind = (typeof AGENT_REJECTION_KINDS)[number];

/** the source of an MQTT message an agent gets is its topic: MQTT does not say who published it */
export class AgentRejections extends RejectionLog<AgentRejectionKind> {
  constructor(log: WarnLogger, opts: { summaryEveryMs?: number; maxSources?: number } = {}) {
    super(AGENT_REJECTION_KINDS, log, undefined, opts);
  }
}
