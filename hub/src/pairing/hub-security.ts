import type { Socket } from 'node:net';
import type { Aedes } from 'aedes';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../store/database.ts';
import { AdminTokens, type AdminTokenStatus } from '../auth/admin-token.ts';
import { installApiAuth } from '../auth/api-auth.ts';
import { AuditLog } from '../auth/audit-log.ts';
import { aedesBrokerControl, type BrokerControl } from '../auth/broker-control.ts';
import { createBrokerAcl, type BrokerAcl } from '../auth/broker-acl.ts';
import { controllerPolicyFromDevices, type PolicyDevice } from '../auth/controller-policy.ts';
import { CredentialStore, HUB_USERNAME } from '../auth/credential-store.ts';
import { RpcSecrets } from '../auth/rpc-secrets.ts';
import { ensureHubCertificate, type HubCertificate } from '../tls/certificate.ts';
import { startMqttsListener } from '../tls/mqtts-listener.ts';
import { ipv4Of } from '../mdns/interfaces.ts';
import { startAdvertiser, type HubAdvertiser } from '../mdns/advertiser.ts';
import { adminSecurityRoutes } from './admin-routes.ts';
import type { PairingConfigInput } from './config.ts';
import { provisionNodeCredentials, writeNodeCredentialsFile } from './demo-credentials.ts';
import type { OnNodePaired } from './devices.ts';
import { startLanServer } from './lan-server.ts';
import { revokeNode, type RevocationReport } from './revocation.ts';
import { PairingService } from './service.ts';

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

/**
 * Everything of issue 5 behind one object, in the hub's start order: `createHubSecurity` (before the broker:
 * certificate, admin token, credentials, ACL hooks), `attachBroker` (after it: MQTTS listener, revocation's
 * access to retained topics), `startLan` (after the API: HTTPS pairing server and mDNS), `stop` (first on the way down).
 */
export async function createHubSecurity(opts: HubSecurityOptions) {
  const log = opts.logger.child({ component: 'security' });
  const interfaces = [...(opts.mdnsInterfaces ?? [])];
  const lanHost = opts.lanHost ?? (interfaces.length === 1 ? ipv4Of(interfaces[0]!) : interfaces.length > 1 ? '0.0.0.0' : '127.0.0.1');
  const certificate: HubCertificate = await ensureHubCertificate(opts.dataDir, { logger: opts.logger, addresses: lanHost === '0.0.0.0' ? [] : [lanHost] });
  const audit = new AuditLog(opts.db, opts.logger, opts.now);
  const credentials = new CredentialStore(opts.db);
  const adminTokens = new AdminTokens(opts.db, opts.dataDir, audit);
  const adminToken: AdminTokenStatus = adminTokens.ensure();
  // the hub's own broker password: new on every start, held in memory only
  const hubCredentials = await credentials.issue({ username: HUB_USERNAME, role: 'hub', source: 'hub' });
  const rpcSecrets = new RpcSecrets(opts.dataDir, credentials);
  const acl: BrokerAcl = createBrokerAcl({ credentials, controllerPolicy: controllerPolicyFromDevices(opts.devices), logger: opts.logger });

  let brokerControl: BrokerControl | undefined;
  let advertiser: HubAdvertiser | undefined;
  const endpoint = { host: lanHost === '0.0.0.0' ? '127.0.0.1' : lanHost, httpsPort: opts.httpsPort ?? 8443, mqttsPort: opts.mqttsPort ?? 8883 };
  const closers: (() => Promise<void> | void)[] = [];

  const pairing = new PairingService({
    hubId: certificate.hubId,
    fingerprint: certificate.fingerprint,
    endpoint: () => ({ ...endpoint, host: advertiser?.host ?? endpoint.host }),
    credentials,
    rpcSecrets,
    audit,
    logger: opts.logger,
    disconnect: (username) => acl.disconnect(username),
    ...(opts.onNodePaired ? { onNodePaired: opts.onNodePaired } : {}),
    ...(opts.pairing ? { config: opts.pairing } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  closers.push(() => pairing.stop());

  const revoke = (nodeId: string, ctx: { actor: string; source?: string }): Promise<RevocationReport> => {
    // the hub stops signing for it at once (a derived secret goes with the credentials revocation deletes)
    rpcSecrets.forget(nodeId);
    return revokeNode({ credentials, acl, audit, logger: opts.logger, ...(brokerControl ? { broker: brokerControl } : {}) }, nodeId, ctx);
  };

  return {
    hubId: certificate.hubId,
    certificate,
    adminToken,
    adminTokens,
    audit,
    credentials,
    /** each node's secret for signing `command` RPCs (rpc-secrets.ts) */
    rpcSecrets,
    acl,
    pairing,
    /** for startEmbeddedBroker({ hooks }) */
    brokerHooks: { authenticate: acl.authenticate, authorizePublish: acl.authorizePublish, authorizeSubscribe: acl.authorizeSubscribe },
    /** for MqttConnection.open({ ...hubMqttCredentials }) */
    hubMqttCredentials: { username: hubCredentials.username, password: hubCredentials.password },
    revoke,

    /** after the broker started: MQTT over TLS into it, and its retained store for revocation */
    async attachBroker(broker: { handle: (socket: Socket) => void; aedes?: Aedes }): Promise<{ mqttsUrl: string }> {
      if (broker.aedes) brokerControl = aedesBrokerControl(broker.aedes);
      else log.warn('the broker gave no access to its retained store: revocation will not clear retained topics');
      const mqtts = await startMqttsListener({ handle: broker.handle, host: lanHost, port: endpoint.mqttsPort, certPem: certificate.certPem, keyPem: certificate.keyPem, logger: opts.logger });
      endpoint.mqttsPort = mqtts.port;
      closers.push(() => mqtts.close());
      return { mqttsUrl: mqtts.url };
    },

    /** the owner's endpoints on an API app: bearer auth first, then /api/pairing, /api/nodes/:id/revoke, /api/audit, /api/mqtt-credentials */
    async registerAdminApi(app: FastifyInstance, opts2: { openReadsOnLoopback?: boolean } = {}): Promise<void> {
      installApiAuth(app, { verify: (t) => adminTokens.verify(t), audit, ...opts2 });
      await app.register(adminSecurityRoutes, { prefix: '/api', pairing, revoke, credentials, audit, disconnect: (u: string) => acl.disconnect(u) });
    },

    /** HTTPS pairing server on the LAN address and the mDNS advertisement (with the live `pair` hint) */
    async startLan(register?: (app: FastifyInstance) => void | Promise<void>): Promise<{ httpsUrl: string }> {
      const lan = await startLanServer({
        host: lanHost,
        port: endpoint.httpsPort,
        certPem: certificate.certPem,
        keyPem: certificate.keyPem,
        service: pairing,
        logger: opts.logger,
        ...(register ? { register } : {}),
      });
      endpoint.httpsPort = lan.port;
      closers.push(() => lan.close());
      const adv = await startAdvertiser({
        interfaces,
        hubId: certificate.hubId,
        httpsPort: lan.port,
        mqttsPort: endpoint.mqttsPort,
        fingerprint: certificate.fingerprint,
        pairingOpen: pairing.status().open,
        logger: opts.logger,
      });
      advertiser = adv;
      const off = pairing.onChange((open) => adv.setPairingOpen(open));
      closers.push(() => adv.stop(), off);
      return { httpsUrl: lan.url };
    },

    /** per-node credentials for simulated nodes, written where `steward-sim --credentials FILE` reads them */
    async provisionDemo(nodeIds: readonly string[], file: string): Promise<string> {
      writeNodeCredentialsFile(file, await provisionNodeCredentials(credentials, nodeIds, { audit, rpcSecrets }));
      return file;
    },

    /**
     * With an external broker (whose own users apply, so no MQTT credentials are issued): only each simulated node's
     * RPC secret, fresh at every start, in the same file format.
     */
    provisionDemoSecrets(nodeIds: readonly string[], file: string): string {
      writeNodeCredentialsFile(file, Object.fromEntries(nodeIds.map((id) => [id, { rpcSecret: rpcSecrets.provision(id) }])));
      audit.record({ kind: 'credentials.issued', actor: 'system', detail: { role: 'node', source: 'demo', rpcSecretsOnly: true, nodes: [...nodeIds] } });
      return file;
    },

    async stop(): Promise<void> {
      while (closers.length > 0) {
        try {
          await closers.pop()!();
        } catch (err) {
          log.warn({ err }, 'security stop step failed');
        }
      }
    },
  };
}

export type HubSecurity = Awaited<ReturnType<typeof createHubSecurity>>;
