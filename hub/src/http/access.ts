/**
 * What the API's auth hook decided about a request, for the routes that answer differently by it (the event
 * stream leaves commands' text out for a read-only viewer; GET /api/session says who you are). Kept beside the
 * request object, not on it, so routes need no knowledge of the auth module.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** `token`: a valid admin bearer token; `session`: the sign-in cookie; `loopback`: an open read from the hub's machine */
export type Access = 'token' | 'session' | 'loopback' | 'public';

const byRequest = new WeakMap<IncomingMessage, Access>();

export function setAccess(raw: IncomingMessage, access: Access): void {
  byRequest.set(raw, access);
}

/** undefined for a request the auth hook did not see (a hub without the security feature) */
export function accessOf(raw: IncomingMessage): Access | undefined {
  return byRequest.get(raw);
}

/** the owner's rights: the token or a signed-in browser */
export function isAdmin(raw: IncomingMessage): boolean {
  const a = byRequest.get(raw);
  return a === 'token' || a === 'session';
}

/** the request came over TLS (the HTTPS listener hands its requests to the API) */
export function isHttps(raw: IncomingMessage): boolean {
  return (raw.socket as TLSSocket | undefined)?.encrypted === true;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** a listen address reachable only from this machine */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopback(host);
}
