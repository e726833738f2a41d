import { z } from 'zod';
import { DEVICE_ID } from '../ids.ts';
import { ERROR_CODES } from '../errors.ts';
import { StateSchema, ValueSchema } from '../trait.ts';
import { DeviceDescriptorSchema } from '../home.ts';
import { RpcAuthSchema } from './rpc-auth.ts';

/** Transaction id: chosen by the caller, echoed in the response; a repeated id is answered from memory, not re-executed. */
export const TxnIdSchema = z.string().min(1).max(64);

export const CommandRequestSchema = z
  .object({
    id: TxnIdSchema,
    deviceId: z.string().regex(DEVICE_ID),
    command: z.string().min(1).max(64),
    params: z.record(z.string(), z.unknown()).default({}),
    /** the hub's proof that it sent this (rpc-auth.ts); a change the device's `confirm` rules list needs it */
    auth: RpcAuthSchema.optional(),
  })
  .strict();
export const SnapshotRequestSchema = z.object({ id: TxnIdSchema }).strict();
export const DescribeRequestSchema = z.object({ id: TxnIdSchema }).strict();
/** Simulator-only: every device of the node (or one) back to its initial state; a real driver refuses with NOT_SIMULATED. */
export const ResetRequestSchema = z.object({ id: TxnIdSchema, deviceId: z.string().regex(DEVICE_ID).optional() }).strict();

export const RPC_REQUEST_SCHEMAS = {
  command: CommandRequestSchema,
  snapshot: SnapshotRequestSchema,
  describe: DescribeRequestSchema,
  reset: ResetRequestSchema,
} as const;

export const TargetsSchema = z.record(z.string(), ValueSchema);
/** A device's state as the agent reports it: actual values and pending targets of gradual fields. */
export const DeviceStateSchema = z.object({ state: StateSchema, targets: TargetsSchema });
export type DeviceState = z.infer<typeof DeviceStateSchema>;

export const ErrorBodySchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });

const Failure = z.object({ id: z.string(), ok: z.literal(false), error: ErrorBodySchema });
const success = <T extends z.ZodRawShape>(shape: T) => z.object({ id: TxnIdSchema, ok: z.literal(true), ...shape });

export const CommandResponseSchema = z.union([success({ deviceId: z.string(), ...DeviceStateSchema.shape }), Failure]);
export const SnapshotResponseSchema = z.union([success({ devices: z.record(z.string(), DeviceStateSchema) }), Failure]);
export const NodeDescriptionSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  kind: z.string(),
  devices: z.array(DeviceDescriptorSchema.extend({ simulated: z.boolean() })),
});
export const DescribeResponseSchema = z.union([success({ node: NodeDescriptionSchema }), Failure]);
export const ResetResponseSchema = z.union([success({ devices: z.record(z.string(), DeviceStateSchema) }), Failure]);

export const RPC_RESPONSE_SCHEMAS = {
  command: CommandResponseSchema,
  snapshot: SnapshotResponseSchema,
  describe: DescribeResponseSchema,
  reset: ResetResponseSchema,
} as const;

export type CommandRequest = z.infer<typeof CommandRequestSchema>;
export type CommandResponse = z.infer<typeof CommandResponseSchema>;
export type SnapshotResponse = z.infer<typeof SnapshotResponseSchema>;
export type DescribeResponse = z.infer<typeof DescribeResponseSchema>;
export type ResetResponse = z.infer<typeof ResetResponseSchema>;
export type NodeDescription = z.infer<typeof NodeDescriptionSchema>;
