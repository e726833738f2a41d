import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../store/database.ts';
import type { PolicyDevice } from '../auth/controller-policy.ts';
import { createSecurity, type Security } from '../auth/security.ts';
import { announceHub } from '../mdns/announce.ts';
import { adminSecurityRoutes } from './admin-routes.ts';
import type { PairingConfigInput } from './config.ts';
import type { OnNodePaired } from './devices.ts';
import { createPairingService, startPairingServer } from './lan.ts';
import type { PairingService } from './service.ts';

export interface HubSecurityOptions {
  dataDir: string;
  db: Db;
  logger: Logger;
  /** the registry's device lookup (`id => registry.device(id)`): the controller role's /set policy */
  devices: (deviceId: string) => PolicyDevice | undefined;
  onNodePaired?: OnNodePaired;
  /** --mdns-interface (repeatable); none = advertise on loopback only */
  mdnsInterfaces?: readonly string[];
  /** HTTPS and MQTTS listen address: default the interface's address with one interface, 0.0.0.0 with more, else 127.0.0.1 */
  lanHost?: string;
  /** 0 = a free port */
  httpsPort?: number;
  mqttsPort?: number;
  pairing?: PairingConfigInput;
  now?: () => number;
}

/** The security feature's face plus pairing: what `hub.security` shows and standalone security tests use. */
export interface HubSecurity extends Security {
  readonly pairing: PairingService;
  /** the owner's endpoints on an API app: bearer auth first, then /api/pairing, /api/nodes/:id/revoke, /api/audit, /api/mqtt-credentials */
  registerAdminApi(app: FastifyInstance, opts?: { openReadsOnLoopback?: boolean }): Promise<void>;
  /** HTTPS pairing server on the LAN address and the mDNS advertisement (with the live `pair` hint) */
  startLan(register?: (app: FastifyInstance) => void | Promise<void>): Promise<{ httpsUrl: string }>;
}

/**
 * Security, pairing and mDNS in one object, for processes that run them without the rest of the hub (the
 * network-namespace and ACL tests). The hub itself runs them as three features (auth/, pairing/, mdns/).
 */
export async function createHubSecurity(opts: HubSecurityOptions): Promise<HubSecurity> {
  const security = await createSecurity({
    dataDir: opts.dataDir,
    db: opts.db,
    logger: opts.logger,
    devices: opts.devices,
    ...(opts.mdnsInterfaces ? { interfaces: opts.mdnsInterfaces } : {}),
    ...(opts.lanHost !== undefined ? { lanHost: opts.lanHost } : {}),
    ...(opts.httpsPort !== undefined ? { httpsPort: opts.httpsPort } : {}),
    ...(opts.mqttsPort !== undefined ? { mqttsPort: opts.mqttsPort } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const pairing = createPairingService(security, {
    logger: opts.logger,
    ...(opts.onNodePaired ? { onNodePaired: opts.onNodePaired } : {}),
    ...(opts.pairing ? { config: opts.pairing } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const closers: (() => Promise<void> | void)[] = [() => security.stop(), () => pairing.stop()];
  return {
    ...security,
    pairing,
    async registerAdminApi(app: FastifyInstance, authOpts: { openReadsOnLoopback?: boolean } = {}) {
      security.installAuth(app, authOpts);
      await app.register(adminSecurityRoutes, {
        prefix: '/api',
        pairing,
        revoke: security.revoke,
        credentials: security.credentials,
        audit: security.audit,
        disconnect: (u: string) => security.acl.disconnect(u),
      });
    },
    async startLan(register?: (app: FastifyInstance) => void | Promise<void>) {
      const lan = await startPairingServer(security, pairing, opts.logger, register);
      closers.push(() => lan.close());
      const mdns = await announceHub(
        {
          interfaces: security.interfaces,
          hubId: security.hubId,
          fingerprint: security.certificate.fingerprint,
          endpoint: security.endpoint,
          pairingOpen: () => pairing.status().open,
          onPairingChange: (l) => pairing.onChange(l),
        },
        opts.logger,
      );
      closers.push(() => mdns.stop());
      return { httpsUrl: lan.httpsUrl };
    },
    async stop() {
      while (closers.length > 0) {
        try {
          await closers.pop()!();
        } catch (err) {
          opts.logger.warn({ err }, 'security stop step failed');
        }
      }
    },
  };
}
