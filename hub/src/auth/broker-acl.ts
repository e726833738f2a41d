import type { AedesOptions } from 'aedes';
import type { Logger } from 'pino';
import type { Rejections } from '../core/rejections.ts';
import type { CredentialStore } from './credential-store.ts';
import { clientIdProblem, mayPublish, maySubscribe, type ControllerSetPolicy, type Principal } from './topic-rules.ts';

/** the aedes hooks, as the embedded broker's `BrokerAuthHooks` seam takes them */
export type AclHooks = Required<Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>>;
type AedesClient = Parameters<AclHooks['authenticate']>[0];

export interface BrokerAcl extends AclHooks {
  /** the principal a live client authenticated as */
  principalOf(client: AedesClient): Principal | undefined;
  /** live sessions of a user name */
  sessions(username: string): AedesClient[];
  /** closes every live session of a user name; resolves once aedes has closed them */
  disconnect(username: string): Promise<number>;
}

// MQTT 3.1.1 CONNACK return codes
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;
const IDENTIFIER_REJECTED = 2;

function authError(returnCode: number, message: string) {
  return Object.assign(new Error(message), { returnCode });
}

/**
 * Least privilege on the broker (issue 5). `authenticate` checks per-principal credentials (scrypt); every
 * publish and subscribe is checked against the principal's role, and against the credential store at that
 * moment, so a revoked or re-paired node's old session can do nothing even before it is closed.
 */
export function createBrokerAcl(opts: { credentials: CredentialStore; controllerPolicy: ControllerSetPolicy; logger: Logger; rejections?: Rejections }): BrokerAcl {
  const log = opts.logger.child({ component: 'broker-acl' });
  // counted and rate-limited per remote address (a flood of refused clients writes a line and a summary)
  const refuse = (kind: 'mqtt-auth' | 'mqtt-acl', client: AedesClient | null, context: Record<string, unknown>, reason: string) => {
    if (!opts.rejections) return log.warn(context, reason);
    const remote = (client?.conn as { remoteAddress?: string } | undefined)?.remoteAddress;
    opts.rejections.reject(kind, remote ?? String(context.username ?? context.clientId ?? 'unknown'), reason, { component: 'broker-acl', ...context });
  };
  const principals = new WeakMap<AedesClient, Principal>();
  const live = new Map<string, Set<AedesClient>>();

  const current = (client: AedesClient | null): Principal | undefined => {
    if (!client) return undefined;
    const p = principals.get(client);
    return p && opts.credentials.isCurrent(p.username, p.generation) ? p : undefined;
  };

  const track = (username: string, client: AedesClient) => {
    let set = live.get(username);
    if (!set) live.set(username, (set = new Set()));
    for (const c of set) if (c.closed) set.delete(c);
    set.add(client);
  };

  const acl: BrokerAcl = {
    authenticate(client, username, password, done) {
      if (username === undefined || password === undefined) {
        refuse('mqtt-auth', client, { clientId: client.id }, 'refused a client without credentials');
        return done(authError(NOT_AUTHORIZED, 'credentials required'), false);
      }
      opts.credentials.verify(username, password.toString('utf8')).then(
        (record) => {
          if (!record) {
            refuse('mqtt-auth', client, { clientId: client.id, username }, 'refused a client: wrong user name or password');
            return done(authError(BAD_USERNAME_OR_PASSWORD, 'bad user name or password'), false);
          }
          const principal: Principal = { username: record.username, role: record.role, nodeId: record.nodeId, generation: record.generation };
          const problem = clientIdProblem(principal, client.id);
          if (problem) {
            refuse('mqtt-auth', client, { clientId: client.id, username }, `refused a client id: ${problem}`);
            return done(authError(IDENTIFIER_REJECTED, problem), false);
          }
          principals.set(client, principal);
          track(record.username, client);
          log.debug({ clientId: client.id, username, role: record.role }, 'client authenticated');
          done(null, true);
        },
        (err: Error) => {
          log.error({ err: err.message }, 'credential check failed');
          done(authError(NOT_AUTHORIZED, 'credential check failed'), false);
        },
      );
    },

    authorizePublish(client, packet, done) {
      const p = current(client);
      // aedes closes a 3.1.1 client whose publish is refused (the protocol has no way to refuse one message)
      if (!p) return done(new Error('not authorized: no valid credentials for this session'));
      const problem = mayPublish(p, packet.topic, packet.retain, opts.controllerPolicy);
      if (problem) {
        refuse('mqtt-acl', client, { clientId: client!.id, username: p.username, topic: packet.topic }, `publish refused: ${problem}`);
        return done(new Error(`not authorized: ${problem}`));
      }
      done(null);
    },

    authorizeSubscribe(client, sub, done) {
      const p = current(client);
      const problem = p ? maySubscribe(p, sub.topic) : 'no valid credentials for this session';
      if (problem) {
        refuse('mqtt-acl', client, { clientId: client.id, username: p?.username, filter: sub.topic }, `subscription refused: ${problem}`);
        return done(null, null); // SUBACK 0x80 for this filter; the connection stays
      }
      done(null, sub);
    },

    principalOf: (client) => principals.get(client),

    sessions: (username) => [...(live.get(username) ?? [])].filter((c) => !c.closed),

    async disconnect(username) {
      const clients = acl.sessions(username);
      live.delete(username);
      await Promise.all(clients.map((c) => new Promise<void>((resolve) => c.close(() => resolve()))));
      if (clients.length > 0) log.info({ username, sessions: clients.length }, 'sessions closed');
      return clients.length;
    },
  };
  return acl;
}
