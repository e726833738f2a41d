import { DEVICE_TYPES, TRAITS, validateState, type NodeKindSchema } from '@steward/device-adapters';
import { FriendlyNameSchema, type PairedDevice } from '@steward/device-adapters/protocol/pairing.ts';
import type { z } from 'zod';
import { LANG_TAGS, langTagOf } from '../core/lang-tags.ts';

export type { PairedDevice };

/** A node that just paired, as the registry should learn it. */
export interface PairedNode {
  id: string;
  name: string;
  kind: z.infer<typeof NodeKindSchema>;
  /** Ed25519 SPKI DER, base64: the key its id derives from */
  publicKey: string;
  /** the address it paired from */
  source: string;
  pairedAt: string;
}

/**
 * Called once a node has proven the code, before the hub answers it. The registry (another module) adds the node
 * and its devices (with suggested names and areas the owner can change later). Throwing undoes the pairing.
 */
export type OnNodePaired = (node: PairedNode, devices: PairedDevice[]) => void | Promise<void>;

/** What is wrong with a declared device list: the same checks a home file's devices get. */
export function pairedDeviceProblems(devices: readonly PairedDevice[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of devices) {
    if (seen.has(d.id)) problems.push(`duplicate device id ${d.id}`);
    seen.add(d.id);
    const allowed: readonly string[] = DEVICE_TYPES[d.type].traits;
    for (const t of d.traits) {
      if (!allowed.includes(t)) problems.push(`${d.id}: a ${d.type} cannot have trait ${t}`);
      const r = TRAITS[t].attributes.safeParse(d.attributes);
      if (!r.success) problems.push(`${d.id}: ${t} attributes: ${r.error.issues.map((i) => i.message).join('; ')}`);
    }
    if (d.state) for (const p of validateState(d, d.state, { complete: false })) problems.push(`${d.id}: ${p}`);
    // names become words the hub understands: a language it speaks (en, zh, zh-TW, zh-HK, or zh-Hant...), plain text, a few per language
    for (const [lang, names] of Object.entries(d.names)) {
      if (!langTagOf(lang)) problems.push(`${d.id}: names in ${lang}: only ${LANG_TAGS.join(', ')} are understood`);
      if (names.length > 8) problems.push(`${d.id}: at most 8 names per language`);
      for (const n of names) {
        const r = FriendlyNameSchema.safeParse(n);
        if (!r.success) problems.push(`${d.id}: name ${JSON.stringify(n.slice(0, 60))}: ${r.error.issues.map((i) => i.message).join('; ')}`);
      }
    }
  }
  return problems;
}
