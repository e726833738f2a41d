import { StewardError, type ErrorCode } from '@steward/device-adapters';

/** A StewardError with the HTTP status the pairing routes answer with (429 and 403 have no code of their own). */
export class PairingHttpError extends StewardError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(code, message);
    this.name = 'PairingHttpError';
  }
}

export const windowClosed = (why: string) => new PairingHttpError(409, 'CONFLICT', `no pairing window is open (${why}): ask the owner to open one`);
export const rateLimited = (retryAfterMs: number) =>
  new PairingHttpError(429, 'CONFLICT', `too many pairing requests from this address: try again in ${Math.ceil(retryAfterMs / 1000)} s`, Math.ceil(retryAfterMs / 1000));
export const wrongProof = (left: number) =>
  new PairingHttpError(401, 'UNAUTHORIZED', left > 0 ? `wrong pairing code (${left} attempts left in this window)` : 'wrong pairing code; the window is now closed');
