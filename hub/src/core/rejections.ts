import type { Logger } from 'pino';
import { RejectionLog } from '@steward/device-adapters';
import type { Clock } from './clock.ts';

/**
 * Kinds of hostile or broken input the hub refuses: each is counted (GET /api/health `rejections`) and logged.
 * `mqtt-payload`: a message on a topic the hub reads that does not parse; `mqtt-auth`: a client refused at CONNECT;
 * `mqtt-acl`: a publish or subscription the ACL refuses; `mqtt-packet`: a packet over the size limit or breaking
 * the protocol; `http-request`: an API request refused with a 4xx; `pairing`: a refused pairing message.
 */
export const REJECTION_KINDS = ['mqtt-payload', 'mqtt-auth', 'mqtt-acl', 'mqtt-packet', 'http-request', 'pairing'] as const;
export type RejectionKind = (typeof REJECTION_KINDS)[number];

/**
 * The hub's rejections (device-adapters' RejectionLog, the agents' too): counted by kind, logged once per source,
 * kind and window, then one summary per window; the windows run on the hub's clock.
 */
export class Rejections extends RejectionLog<RejectionKind> {
  constructor(log: Logger, clock: Clock, opts: { summaryEveryMs?: number; maxSources?: number } = {}) {
    super(REJECTION_KINDS, log, clock, opts);
  }
}
