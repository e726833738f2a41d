import { z } from 'zod';

/** A query's point in time: an ISO time (`2026-11-30T12:00:00Z`) or milliseconds since the epoch, parsed to ms. */
export const TimeQuerySchema = z.string().transform((s, ctx) => {
  const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(t)) {
    ctx.addIssue({ code: 'custom', message: 'since is an ISO time (2026-11-30T12:00:00Z) or milliseconds since the epoch' });
    return z.NEVER;
  }
  return t;
});
