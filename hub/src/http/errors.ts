import type { FastifyError, FastifyReply } from 'fastify';
import type { z } from 'zod';
import { StewardError, isStewardError, type ErrorCode } from '@steward/device-adapters';

/** HTTP status per error code: the client's fault is 4xx, an unreachable or silent node 503/504. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNKNOWN_DEVICE: 404,
  UNKNOWN_COMMAND: 400,
  UNSUPPORTED_COMMAND: 400,
  OUT_OF_RANGE: 400,
  INVALID_VALUE: 400,
  NOT_SIMULATED: 409,
  DRIVER_ERROR: 502,
  NODE_OFFLINE: 503,
  TIMEOUT: 504,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  EXPIRED: 410,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  MODEL_UNAVAILABLE: 503,
  MODEL_BAD_REPLY: 502,
  CSRF_REQUIRED: 403,
  HTTPS_REQUIRED: 403,
  COMMISSIONING_FAILED: 422,
  RATE_LIMITED: 429,
  INTERRUPTED: 409,
};

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, status = HTTP_STATUS[code]): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

/** Parses a request part with its schema; a failure is BAD_REQUEST naming each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const why = r.error.issues
    .map((i) => {
      const path = i.path.map(String).join('.');
      return `${path ? `${what}.${path}` : what}: ${i.message}`;
    })
    .join('; ');
  throw new StewardError('BAD_REQUEST', why);
}

/**
 * A route plugin's error handler for errors of our shape: a StewardError by its code, fastify's own 4xx (body too
 * large, bad JSON) as BAD_REQUEST or PAYLOAD_TOO_LARGE, anything else INTERNAL (logged).
 */
export function stewardErrorHandler(error: FastifyError, reply: FastifyReply, log: { error(o: object, m: string): void }): FastifyReply {
  if (isStewardError(error)) return sendError(reply, error.code, error.message, HTTP_STATUS[error.code]);
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 'PAYLOAD_TOO_LARGE', error.message, 413);
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(reply, 'BAD_REQUEST', error.message, error.statusCode);
  }
  log.error({ err: error }, 'route failed');
  return sendError(reply, 'INTERNAL', 'internal error; the hub log has the details', 500);
}
