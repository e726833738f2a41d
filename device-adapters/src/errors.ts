/** Stable error codes shared by agents, hub and API. Messages are for people; codes are for programs. */
export const ERROR_CODES = [
  'BAD_REQUEST', // payload failed schema validation
  'PAYLOAD_TOO_LARGE',
  'UNKNOWN_DEVICE',
  'UNKNOWN_COMMAND',
  'UNSUPPORTED_COMMAND', // the device exists but has no trait with this command
  'OUT_OF_RANGE',
  'INVALID_VALUE', // not one of the allowed modes, inputs, apps, programs
  'NOT_SIMULATED', // reset asked of a real driver
  'DRIVER_ERROR',
  'NODE_OFFLINE',
  'TIMEOUT',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHORIZED',
  'FORBIDDEN', // a node refuses a confirm-listed change it cannot prove the hub sent (a /set, an unsigned or forged RPC)
  'EXPIRED', // a pending confirmation that timed out
  'INTERNAL',
  'UNAVAILABLE', // a part the hub needs is not installed or not configured (voice without pocketsphinx)
  'MODEL_UNAVAILABLE', // the planner's language model cannot be reached, timed out or answered with an HTTP error
  'MODEL_BAD_REPLY', // the model answered something that is not a chat completion
  'CSRF_REQUIRED', // a change authenticated by the session cookie without the X-Steward-CSRF header
  'HTTPS_REQUIRED', // the session cookie asked for over plain HTTP from beyond loopback
  'COMMISSIONING_FAILED', // no device accepted the setup code, or commissioning it failed
  'RATE_LIMITED', // a node sent more than its share (utterances per minute)
  'INTERRUPTED', // the hub stopped after the owner's yes and before the change ran; too late to run it at the next start
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class StewardError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'StewardError';
    this.code = code;
    if (details) this.details = details;
  }
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isStewardError(e: unknown): e is StewardError {
  return e instanceof StewardError;
}

/** Any thrown value as `{code, message}`, for replies. */
export function toErrorBody(e: unknown): { code: ErrorCode; message: string } {
  if (isStewardError(e)) return e.toJSON();
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
