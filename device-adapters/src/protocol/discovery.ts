import { z } from 'zod';
import { DEVICE_ID } from '../ids.ts';
import { FoundDeviceSchema } from '../discovery.ts';

/**
 * What a node says about the devices its discovery modules found (discovery.ts), on one retained topic per node:
 * `steward/1/<node>/discovery`. The payload is the whole picture each time (found devices not adopted yet, and the
 * adopted devices the node dropped because their ecosystem lost them), so a hub that was away reads where things
 * stand from the retained message, and a repeated or reordered message changes nothing.
 */

/** an ecosystem's name as a discovery module gives it: `matter`, `sim` */
export const EcosystemSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'an ecosystem is a short lower-case name such as matter');

/** bounds the hub enforces and the node keeps to (it leaves out what does not fit and logs it) */
export const DISCOVERY_LIMITS = {
  /** found devices listed in one report */
  found: 64,
  /** lost adopted devices remembered in the report */
  lost: 64,
  /** the report's size */
  reportBytes: 64 * 1024,
} as const;

/** on the wire the descriptor is strict: an `id` (or anything else) a module slipped in is refused, not dropped */
export const AnnouncedDeviceSchema = FoundDeviceSchema.extend({ ecosystem: EcosystemSchema, descriptor: FoundDeviceSchema.shape.descriptor.strict() }).strict();
export type AnnouncedDevice = z.infer<typeof AnnouncedDeviceSchema>;

export const LostDeviceSchema = z.object({ ecosystem: EcosystemSchema, key: FoundDeviceSchema.shape.key, deviceId: z.string().regex(DEVICE_ID) }).strict();
export type LostDevice = z.infer<typeof LostDeviceSchema>;

export const DiscoveryReportSchema = z
  .object({
    /** found and not adopted: the owner may adopt these */
    found: z.array(AnnouncedDeviceSchema).max(DISCOVERY_LIMITS.found),
    /** adopted devices the node removed because their ecosystem lost them (the hub removes them too) */
    lost: z.array(LostDeviceSchema).max(DISCOVERY_LIMITS.lost).default([]),
  })
  .strict();
export type DiscoveryReport = z.infer<typeof DiscoveryReportSchema>;

// Verhoeff check digit (Matter Core Specification 5.1.4.1: the manual pairing code ends with one)
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 0, 7, 6, 8],
  [4, 2, 8, 6, 5, 7, 1, 3, 0, 9],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/** the Verhoeff check digit for a string of digits */
export function verhoeffDigit(digits: string): number {
  let c = 0;
  const rev = [...digits].reverse();
  rev.forEach((ch, i) => (c = D[c]![P[(i + 1) % 8]![Number(ch)]!]!));
  return INV[c]!;
}

function verhoeffValid(digits: string): boolean {
  let c = 0;
  [...digits].reverse().forEach((ch, i) => (c = D[c]![P[i % 8]![Number(ch)]!]!));
  return c === 0;
}

/**
 * A setup code as the owner types it: a Matter manual pairing code (11 or 21 digits, dashes and spaces allowed,
 * ending with its Verhoeff check digit) or a QR payload (`MT:` and base-38 characters). Normalised to digits only,
 * or the payload as given.
 */
export const SetupCodeSchema = z
  .string()
  .max(64, 'a setup code is at most 64 characters')
  .transform((s) => s.trim())
  .transform((s) => (s.startsWith('MT:') ? s : s.replace(/[\s-]/g, '')))
  .superRefine((s, ctx) => {
    if (s.startsWith('MT:')) {
      if (!/^MT:[0-9A-Z.-]{19,60}$/.test(s)) ctx.addIssue({ code: 'custom', message: 'a QR payload is MT: followed by at least 19 base-38 characters (0-9, A-Z, - and .)' });
      return;
    }
    if (!/^\d{11}$|^\d{21}$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'a setup code is an 11- or 21-digit manual pairing code (dashes allowed) or an MT: QR payload' });
      return;
    }
    if (Number(s[0]) > 7) ctx.addIssue({ code: 'custom', message: 'a manual pairing code starts with a digit from 0 to 7' });
    else if (!verhoeffValid(s)) ctx.addIssue({ code: 'custom', message: 'the manual pairing code has a wrong check digit (mistyped?)' });
  });
