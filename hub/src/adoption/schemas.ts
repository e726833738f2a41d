import { z } from 'zod';
import { DEVICE_TYPES, EcosystemSchema, NamesSchema, SetupCodeSchema, StateSchema } from '@steward/device-adapters';
import { NamesInputSchema } from '../api/schemas.ts';
import { LangTagSchema } from '../core/lang-tags.ts';
import type { AdoptionRecord } from './store.ts';

/** A found device waiting for the owner, as GET /api/adoptions lists it. `label` is the device's own text: data only. */
export const AdoptionViewSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  key: z.string(),
  ecosystem: z.string(),
  type: z.string(),
  traits: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  label: z.string(),
  suggestedNames: NamesSchema,
  state: StateSchema,
  status: z.enum(['pending', 'adopted', 'ignored', 'removing']),
  deviceId: z.string().nullable(),
  foundAt: z.string(),
});
export type AdoptionView = z.infer<typeof AdoptionViewSchema>;
export const AdoptionListSchema = z.object({ adoptions: z.array(AdoptionViewSchema) });

export const AdoptBodySchema = z
  .object({
    name: z.string().trim().min(1, 'a name cannot be empty').max(60, 'a name is at most 60 characters'),
    /** an area's id or one of its names in any language */
    area: z.string().trim().min(1, 'give an area').max(60),
    /** more names per language (`{"en": ["desk lamp"], "zh": ["台灯"]}`); `name` is added to its own language */
    names: NamesInputSchema.optional(),
    /** the language `name` is in; without it, a name with Chinese characters is zh and any other en */
    lang: LangTagSchema.optional(),
  })
  .strict();
export type AdoptBody = z.infer<typeof AdoptBodySchema>;

/** The adopted device's names: `names` as given, with `name` first in its language (no repeats). */
export function adoptedNames(body: AdoptBody, detected: string): Record<string, string[]> {
  const lang = body.lang ?? detected;
  const out: Record<string, string[]> = {};
  for (const [l, ns] of Object.entries(body.names ?? {})) out[l] = [...new Set(ns)];
  out[lang] = [body.name, ...(out[lang] ?? []).filter((n) => n !== body.name)];
  return out;
}

export const CommissionBodySchema = z.object({ setupCode: SetupCodeSchema, ecosystem: EcosystemSchema.optional() }).strict();
export const CommissionResultSchema = z.object({ found: z.array(AdoptionViewSchema) });

export const ADOPTION_ID = /^[0-9a-f]{12}$/;

const MAX_NAMES = 5;
const MAX_NAME = 60;

/** Control and bidirectional-override characters out, length bounded: a label is shown, never interpreted. */
export function plainText(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

/** the names the ecosystem suggests (bounded), or the type's generic word */
export function suggestedNames(r: AdoptionRecord): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [lang, names] of Object.entries(r.descriptor.names).slice(0, 8)) {
    const clean = names.map((n) => plainText(n, MAX_NAME)).filter((n) => n.length > 0).slice(0, MAX_NAMES);
    if (clean.length > 0) out[lang] = clean;
  }
  if (!out.en) out.en = [DEVICE_TYPES[r.descriptor.type].words.en[0] ?? r.descriptor.type];
  return out;
}

export function adoptionView(r: AdoptionRecord): AdoptionView {
  return {
    id: r.id,
    nodeId: r.nodeId,
    key: r.key,
    ecosystem: r.ecosystem,
    type: r.descriptor.type,
    traits: [...r.descriptor.traits],
    attributes: r.descriptor.attributes,
    label: r.label,
    suggestedNames: suggestedNames(r),
    state: r.state,
    status: r.status,
    deviceId: r.deviceId,
    foundAt: new Date(r.foundAt).toISOString(),
  };
}
