import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';

/** Pairing limits; tests shorten them so nothing waits 10 minutes. */
export const PairingConfigSchema = z
  .object({
    /** how long an opened window accepts its code */
    windowMs: z.number().int().min(1000).max(3_600_000).default(600_000),
    /** wrong proofs (any source) after which the window closes */
    maxFailures: z.number().int().min(1).max(1000).default(20),
    /** requests per source address to /api/pair/* (a pairing that succeeds gives its requests back: failures count) */
    rateLimit: z
      .object({ max: z.number().int().min(1).max(10_000).default(10), windowMs: z.number().int().min(100).max(3_600_000).default(60_000) })
      .strict()
      .default({ max: 10, windowMs: 60_000 }),
    codeDigits: z.number().int().min(8).max(12).default(8),
    /** between /pair/start and /pair/finish */
    sessionTtlMs: z.number().int().min(1000).max(600_000).default(60_000),
    /** started, unfinished exchanges kept at once (each holds an SRP state) */
    maxPendingSessions: z.number().int().min(1).max(256).default(16),
  })
  .strict();
export type PairingConfig = z.infer<typeof PairingConfigSchema>;
export type PairingConfigInput = z.input<typeof PairingConfigSchema>;

export function parsePairingConfig(input: unknown): PairingConfig {
  const r = PairingConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    throw new StewardError('BAD_REQUEST', `invalid pairing configuration: ${r.error.issues.map((i) => `${i.path.join('.') || 'pairing'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}
