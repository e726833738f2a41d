/**
 * What every part of the hub says about device actions: the action itself, its result as the node acknowledged
 * it, and the gateway that carries one to a device. Understanding makes actions, conversation and the API send
 * them through a gateway, the MQTT gateway delivers them.
 */
import { z } from 'zod';
import { ErrorBodySchema, StateSchema, type State } from '@steward/device-adapters';

export interface DeviceAction {
  deviceId: string;
  command: string;
  params: Record<string, unknown>;
}

export const ActionResultSchema = z.object({
  deviceId: z.string(),
  command: z.string(),
  params: z.record(z.string(), z.unknown()),
  ok: z.boolean(),
  error: ErrorBodySchema.optional(),
  /** the state the node acknowledged: targets of moving fields merged over reported values */
  state: StateSchema.optional(),
});
export type ActionResult = z.infer<typeof ActionResultSchema>;

/** Where actions go. The hub's implementation sends RPC over MQTT and resolves on the node's acknowledgement. */
export interface DeviceGateway {
  /** Never throws for a device-side failure: the result carries `ok: false` and the error. */
  execute(action: DeviceAction): Promise<ActionResult>;
  /** the state a device is heading to (targets over reported values), for predicting confirmation rules */
  state(deviceId: string): State | undefined;
}

/** A gateway that can also refuse an action up front (direct control from the API answers 400 before sending). */
export interface DirectGateway extends DeviceGateway {
  /** Throws the device model's StewardError for a command this device cannot take; nothing is sent. */
  check(action: DeviceAction): void;
}

/** the paths a change can come from; each waits for the owner's yes when a `confirm` rule covers it */
export const CONFIRMATION_SOURCES = ['sentence', 'scene', 'api', 'planner', 'voice', 'dashboard'] as const;
export const ConfirmationSourceSchema = z.enum(CONFIRMATION_SOURCES);
export type ConfirmationSource = z.infer<typeof ConfirmationSourceSchema>;

/** who said yes outside a conversation (the API's admin, from an address), for the audit log */
export interface Settler {
  actor: string;
  address?: string;
}

/** how an executed action came about (the conversation's `executed` signal; the audit of sensitive commands) */
export interface ExecutedContext {
  conversationId: string;
  confirmed: boolean;
  scheduled: boolean;
  /** where a confirmed action came from (sentence, scene, api, planner) */
  source?: ConfirmationSource;
  /** who confirmed outside a conversation (POST /api/confirmations/:id) */
  by?: Settler;
  /** settled at the next start, after the hub stopped between the yes and the run (conversation/interrupted.ts) */
  recovered?: RecoveredHow;
}

/** how a yes cut short by a crash was settled at the next start: the devices held it, it ran now, or too late */
export const RECOVERED_HOW = ['already_done', 'rerun', 'interrupted'] as const;
export type RecoveredHow = (typeof RECOVERED_HOW)[number];
