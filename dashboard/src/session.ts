/** Sign-in with the admin token: an HttpOnly session cookie from POST /api/session (the token is never stored). */
import { ApiError, del, get, post, useBearer } from './api.ts';

export interface Session {
  signedIn: boolean;
  role: 'admin' | 'readonly';
  /** false on a hub without the session API: the token then travels as a bearer header, in memory only */
  sessionApi: boolean;
}

export async function loadSession(): Promise<Session> {
  try {
    const s = await get<{ signedIn: boolean; role: 'admin' | 'readonly' }>('/api/session');
    return { signedIn: s.signedIn, role: s.role, sessionApi: true };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { signedIn: false, role: 'readonly', sessionApi: false };
    throw e;
  }
}

export async function signIn(token: string, sessionApi: boolean): Promise<Session> {
  if (sessionApi) {
    await post('/api/session', { token });
    return loadSession();
  }
  // an older hub: prove the token on a read only the admin may make
  useBearer(token);
  try {
    await get('/api/audit?limit=1');
  } catch (e) {
    useBearer(undefined);
    throw e;
  }
  return { signedIn: true, role: 'admin', sessionApi: false };
}

export async function signOut(sessionApi: boolean): Promise<void> {
  useBearer(undefined);
  if (sessionApi) await del('/api/session');
}
