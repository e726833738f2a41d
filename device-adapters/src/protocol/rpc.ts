import { z } from 'zod';
import { DEVICE_ID } from '../ids.ts';
import { ERROR_CODES } from '../errors.ts';
import { StateSchema, ValueSchema } from '../trait.ts';
import { DeviceDescriptorSchema, NamesSchema } from '../home.ts';
import { FoundDeviceSchema } from '../discovery.ts';
import { RpcAuthSchema, type SignedFields } from './rpc-auth.ts';
import { AnnouncedDeviceSchema, DISCOVERY_LIMITS, EcosystemSchema, SetupCodeSchema } from './discovery.ts';

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

/** the owner adopted a found device: the node opens it under `deviceId` and publishes it like its other devices */
export const AdoptRequestSchema = z
  .object({
    id: TxnIdSchema,
    ecosystem: EcosystemSchema,
    key: FoundDeviceSchema.shape.key,
    deviceId: z.string().regex(DEVICE_ID),
    names: NamesSchema,
    auth: RpcAuthSchema.optional(),
  })
  .strict();
/** the owner removed an adopted device: the node removes it from its ecosystem (discovery.forget) and drops it */
export const ForgetRequestSchema = z.object({ id: TxnIdSchema, deviceId: z.string().regex(DEVICE_ID), auth: RpcAuthSchema.optional() }).strict();
/** bring a new device into an ecosystem (a Matter setup code); `ecosystem` may be left out when the node has one that commissions */
export const CommissionRequestSchema = z
  .object({ id: TxnIdSchema, setupCode: SetupCodeSchema, ecosystem: EcosystemSchema.optional(), auth: RpcAuthSchema.optional() })
  .strict();

export const RPC_REQUEST_SCHEMAS = {
  command: CommandRequestSchema,
  snapshot: SnapshotRequestSchema,
  describe: DescribeRequestSchema,
  reset: ResetRequestSchema,
  adopt: AdoptRequestSchema,
  forget: ForgetRequestSchema,
  commission: CommissionRequestSchema,
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

export const AdoptResponseSchema = z.union([success({ device: DeviceDescriptorSchema.extend({ simulated: z.boolean() }), ...DeviceStateSchema.shape }), Failure]);
export const ForgetResponseSchema = z.union([success({ deviceId: z.string() }), Failure]);
export const CommissionResponseSchema = z.union([success({ found: z.array(AnnouncedDeviceSchema).max(DISCOVERY_LIMITS.found) }), Failure]);

export const RPC_RESPONSE_SCHEMAS = {
  command: CommandResponseSchema,
  snapshot: SnapshotResponseSchema,
  describe: DescribeResponseSchema,
  reset: ResetResponseSchema,
  adopt: AdoptResponseSchema,
  forget: ForgetResponseSchema,
  commission: CommissionResponseSchema,
} as const;

/**
 * What the hub signs (rpc-auth.ts) for each method that changes a node: a command, and adopting, forgetting and
 * commissioning devices. The method goes into the signed `command` as `@adopt` etc., which no trait command can be,
 * so a proof for one method never holds for another.
 */
export const SIGNED_RPC_METHODS = ['command', 'adopt', 'forget', 'commission'] as const;
export type SignedRpcMethod = (typeof SIGNED_RPC_METHODS)[number];

export function isSignedRpcMethod(method: string): method is SignedRpcMethod {
  return (SIGNED_RPC_METHODS as readonly string[]).includes(method);
}

export function signedFieldsOf(nodeId: string, method: SignedRpcMethod, body: Record<string, unknown>): SignedFields {
  const id = String(body.id);
  switch (method) {
    case 'command':
      return { nodeId, id, deviceId: String(body.deviceId), command: String(body.command), params: (body.params ?? {}) as Record<string, unknown> };
    case 'adopt':
      return { nodeId, id, deviceId: String(body.deviceId), command: '@adopt', params: { ecosystem: body.ecosystem, key: body.key, names: body.names } };
    case 'forget':
      return { nodeId, id, deviceId: String(body.deviceId), command: '@forget', params: {} };
    case 'commission':
      return { nodeId, id, deviceId: '', command: '@commission', params: { setupCode: body.setupCode, ecosystem: body.ecosystem } };
  }
}

export type CommandRequest = z.infer<typeof CommandRequestSchema>;
export type CommandResponse = z.infer<typeof CommandResponseSchema>;
export type SnapshotResponse = z.infer<typeof SnapshotResponseSchema>;
export type DescribeResponse = z.infer<typeof DescribeResponseSchema>;
export type ResetResponse = z.infer<typeof ResetResponseSchema>;
export type AdoptResponse = z.infer<typeof AdoptResponseSchema>;
export type CommissionResponse = z.infer<typeof CommissionResponseSchema>;
export type NodeDescription = z.infer<typeof NodeDescriptionSchema>;
