/** The events of GET /api/events, each `data` a zod schema (the OpenAPI document lists them). */
import { z } from 'zod';
import { StateSchema } from '@steward/device-adapters';
import { ConfirmationInfoSchema } from '../conversation/confirmations.ts';
import { DeviceInfoSchema, NodeInfoSchema } from '../api/schemas.ts';
import { AdoptionViewSchema } from '../adoption/schemas.ts';

/** the whole picture: first on every stream that cannot resume, and again when devices are added, renamed or removed */
export const SnapshotEventSchema = z.object({
  bootId: z.string(),
  devices: z.array(DeviceInfoSchema),
  nodes: z.array(NodeInfoSchema),
  confirmations: z.array(ConfirmationInfoSchema),
  /** devices nodes found, waiting for the owner (as GET /api/adoptions); absent on a hub without adoption */
  adoptions: z.array(AdoptionViewSchema).optional(),
});

/** a device's state changed, or its node went on or offline */
export const DeviceEventSchema = z.object({
  id: z.string(),
  /** targets of moving fields over reported values, as GET /api/devices `state` */
  state: StateSchema,
  reported: StateSchema,
  targets: StateSchema,
  online: z.boolean(),
});

export const NodeEventSchema = z.object({ id: z.string(), online: z.boolean() });

export const ConfirmationEventSchema = z.object({
  action: z.enum(['pending', 'confirmed', 'cancelled', 'expired']),
  confirmation: ConfirmationInfoSchema,
});

/** a device a node found after pairing: found, adopted, ignored, or lost (adoption/) */
export const AdoptionEventSchema = z.object({
  action: z.enum(['found', 'adopted', 'ignored', 'lost']),
  adoption: AdoptionViewSchema,
});

/** the event stream's frames, by `event:` name */
export const EventStreamSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('snapshot'), data: SnapshotEventSchema }),
  z.object({ event: z.literal('device'), data: DeviceEventSchema }),
  z.object({ event: z.literal('node'), data: NodeEventSchema }),
  z.object({ event: z.literal('confirmation'), data: ConfirmationEventSchema }),
  z.object({ event: z.literal('adoption'), data: AdoptionEventSchema }),
  z.object({
    event: z.literal('command'),
    data: z.object({ id: z.string(), at: z.string(), text: z.string(), reply: z.string(), source: z.enum(['api', 'voice', 'planner', 'scene']), lang: z.string(), ok: z.boolean() }),
  }),
]);

/** `lastEventId`: for a client that cannot set the Last-Event-ID header (a page loaded anew); the header wins */
export const EventsQuerySchema = z.object({ lastEventId: z.string().max(64).optional() }).strict();
