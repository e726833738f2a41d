/**
 * The HTTP API's bodies, one zod schema each: requests are parsed with them, responses checked with them, and
 * GET /api/schema is generated from them. The command endpoint's schemas live with the conversation contract.
 */
import { z } from 'zod';
import { ConfirmRuleSchema, DEVICE_ID, ErrorBodySchema, NodeKindSchema, StateSchema, NamesSchema } from '@steward/device-adapters';

export const ErrorResponseSchema = z.object({ error: ErrorBodySchema });
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

const Name = z.string().trim().min(1, 'a name cannot be empty').max(60, 'a name is at most 60 characters');
const Lang = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'languages are codes such as en or zh');
/** a device's names per language as an owner gives them (editing a device, adopting one) */
export const NamesInputSchema = z.record(Lang, z.array(Name).min(1, 'give at least one name').max(20));

export const DeviceEditSchema = z
  .object({
    /** replaces the names of each language given; other languages keep theirs */
    names: NamesInputSchema.optional(),
    area: z.string().regex(DEVICE_ID, 'area is an area id such as living_room').optional(),
  })
  .strict()
  .refine((e) => e.names !== undefined || e.area !== undefined, 'give names or area');
export type DeviceEditBody = z.infer<typeof DeviceEditSchema>;

export const DirectCommandSchema = z
  .object({
    command: z.string().min(1, 'command is empty').max(64),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type DirectCommandBody = z.infer<typeof DirectCommandSchema>;

export const DeviceInfoSchema = z.object({
  id: z.string(),
  type: z.string(),
  names: NamesSchema,
  area: z.string(),
  node: z.string(),
  online: z.boolean(),
  traits: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  confirm: z.array(ConfirmRuleSchema),
  commands: z.array(z.string()),
  /** where the device is heading: pending targets over reported values ({} until it first reports) */
  state: StateSchema,
  /** what the node last reported */
  reported: StateSchema,
  /** commanded values of moving fields (Homie $target) */
  targets: StateSchema,
});
export type DeviceInfo = z.infer<typeof DeviceInfoSchema>;
export const DeviceListSchema = z.object({ devices: z.array(DeviceInfoSchema) });

export const NodeInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  names: NamesSchema,
  kind: NodeKindSchema,
  online: z.boolean(),
  /** holds credentials from a pairing; home-file nodes (the demo's are provisioned at start) are not paired */
  paired: z.boolean(),
  homieState: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  devices: z.array(z.string()),
});
export type NodeInfo = z.infer<typeof NodeInfoSchema>;
export const NodeListSchema = z.object({ nodes: z.array(NodeInfoSchema) });

export const HealthSchema = z.object({
  ok: z.literal(true),
  version: z.number(),
  nodes: z.object({ total: z.number(), online: z.number() }),
  devices: z.number(),
  mqtt: z.object({ connected: z.boolean(), accepted: z.number(), dropped: z.number() }),
  /** refused inputs by kind since the hub started (core/rejections.ts) */
  rejections: z.record(z.string(), z.number()),
});
export type Health = z.infer<typeof HealthSchema>;
