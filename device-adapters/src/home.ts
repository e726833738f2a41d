import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { DEVICE_ID, NODE_ID } from './ids.ts';
import { StateSchema } from './trait.ts';
import { DEVICE_TYPES, DEVICE_TYPE_IDS } from './device-types.ts';
import { TRAITS, TRAIT_IDS } from './traits/index.ts';
import { validateState } from './device.ts';
import { StewardError } from './errors.ts';

/** Names per language. Unknown languages are kept so a home file can carry more than en and zh. */
export const NamesSchema = z.record(z.string(), z.array(z.string().min(1)));
/** `floor`: the area (a floor, "upstairs", 二楼) this one is part of: naming the floor names its rooms */
export const AreaSchema = z.object({ id: z.string().regex(DEVICE_ID), names: NamesSchema, floor: z.string().regex(DEVICE_ID).optional() });
export const NodeKindSchema = z.enum(['gateway', 'tv', 'appliance', 'car']);
/** The state changes that need the user's confirmation: "unlock" = `locked` becomes false; "open" = `position` rises above 0. */
export const ConfirmRuleSchema = z.enum(['unlock', 'open']);

export const DeviceDescriptorSchema = z.object({
  id: z.string().regex(DEVICE_ID, 'device ids are lower-case words joined by _'),
  type: z.enum(DEVICE_TYPE_IDS),
  names: NamesSchema.default({}),
  traits: z.array(z.enum(TRAIT_IDS)).min(1),
  attributes: z.record(z.string(), z.unknown()).default({}),
});
export type DeviceDescriptor = z.infer<typeof DeviceDescriptorSchema>;

export const HomeDeviceSchema = DeviceDescriptorSchema.extend({
  node: z.string().regex(NODE_ID),
  area: z.string().regex(DEVICE_ID),
  confirm: z.array(ConfirmRuleSchema).default([]),
  state: StateSchema,
});
/**
 * A device a simulated node finds after pairing (the simulated discovery module, `steward-sim home`): listed on the
 * hub as waiting for adoption, hosted once the owner adopts it. With a `setupCode` it appears only once commissioned
 * with that code (`POST /api/nodes/:id/commission`). The hub itself ignores this list: real nodes report what they find.
 */
export const HomeFoundDeviceSchema = DeviceDescriptorSchema.omit({ id: true }).extend({
  /** the device's id in its ecosystem (letters, digits and _ . : -) */
  key: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'keys are letters, digits and _ . : -'),
  /** what the device says about itself (vendor, product) */
  label: z.string().max(200).default(''),
  state: StateSchema,
  setupCode: z.string().optional(),
});
export const NodeSchema = z.object({
  id: z.string().regex(NODE_ID),
  kind: NodeKindSchema,
  names: NamesSchema,
  /** simulated nodes only: devices the node finds after pairing (see HomeFoundDeviceSchema) */
  found: z.array(HomeFoundDeviceSchema).max(64).optional(),
});

export const SceneSchema = z.object({ id: z.string().regex(DEVICE_ID), names: NamesSchema, states: z.record(z.string(), StateSchema) });

export const HomeSchema = z
  .object({
    name: z.string().default('Home'),
    description: z.string().optional(),
    areas: z.array(AreaSchema),
    nodes: z.array(NodeSchema),
    devices: z.array(HomeDeviceSchema),
    scenes: z.array(SceneSchema).default([]),
    readOnly: z.array(z.string()).default([]),
  })
  .superRefine((home, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const areas = new Set(home.areas.map((a) => a.id));
    const nodes = new Set(home.nodes.map((n) => n.id));
    const seen = new Set<string>();
    /** a device's traits fit its type, its attributes its traits, its state is complete and valid */
    const checkDevice = (path: (string | number)[], name: string, d: Omit<DeviceDescriptor, 'id'> & { state: z.infer<typeof StateSchema> }) => {
      const allowed: readonly string[] = DEVICE_TYPES[d.type].traits;
      for (const t of d.traits) if (!allowed.includes(t)) issue([...path, 'traits'], `a ${d.type} cannot have trait ${t}`);
      for (const t of d.traits) {
        const r = TRAITS[t].attributes.safeParse(d.attributes);
        if (!r.success) issue([...path, 'attributes'], `${name}: ${t} attributes: ${r.error.issues.map((x) => x.message).join('; ')}`);
      }
      for (const problem of validateState({ ...d, id: name }, d.state, { complete: true })) issue([...path, 'state'], `${name}: ${problem}`);
    };
    home.devices.forEach((d, i) => {
      if (seen.has(d.id)) issue(['devices', i, 'id'], `duplicate device id ${d.id}`);
      seen.add(d.id);
      if (!nodes.has(d.node)) issue(['devices', i, 'node'], `device ${d.id} names unknown node ${d.node}`);
      if (!areas.has(d.area)) issue(['devices', i, 'area'], `device ${d.id} names unknown area ${d.area}`);
      checkDevice(['devices', i], d.id, d);
    });
    home.nodes.forEach((n, i) => {
      const keys = new Set<string>();
      n.found?.forEach((f, j) => {
        if (keys.has(f.key)) issue(['nodes', i, 'found', j, 'key'], `node ${n.id}: duplicate found key ${f.key}`);
        keys.add(f.key);
        checkDevice(['nodes', i, 'found', j], `${n.id} found ${f.key}`, f);
      });
    });
    home.scenes.forEach((s, i) => {
      for (const [deviceId, desired] of Object.entries(s.states)) {
        const d = home.devices.find((x) => x.id === deviceId);
        if (!d) issue(['scenes', i, 'states', deviceId], `scene ${s.id} names unknown device ${deviceId}`);
        else for (const problem of validateState(d, desired, { complete: false })) issue(['scenes', i, 'states', deviceId], `scene ${s.id}: ${problem}`);
      }
    });
  });

export type Home = z.infer<typeof HomeSchema>;
export type HomeDevice = z.infer<typeof HomeDeviceSchema>;
export type Area = z.infer<typeof AreaSchema>;
export type HomeNode = z.infer<typeof NodeSchema>;
export type Scene = z.infer<typeof SceneSchema>;
export type ConfirmRule = z.infer<typeof ConfirmRuleSchema>;

/** Reads and validates a home file; a bad file gives one error listing every problem with its path. */
export function loadHome(path: string): Home {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new StewardError('BAD_REQUEST', `cannot read home file ${path}: ${(e as Error).message}`);
  }
  return parseHome(raw, path);
}

export function parseHome(raw: unknown, source = 'home'): Home {
  const r = HomeSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new StewardError('BAD_REQUEST', `invalid home file ${source}:\n${lines.join('\n')}`);
  }
  return r.data;
}
