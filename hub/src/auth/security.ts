import type { Socket } from 'node:net';
import type { Aedes } from 'aedes';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Rejections } from '../core/rejections.ts';
import type { Db } from '../store/database.ts';
import { ensureHubCertificate, type HubCertificate } from '../tls/certificate.ts';
import { startMqttsListener } from '../tls/mqtts-listener.ts';
import { ipv4Of } from '../net/interfaces.ts';
import { AdminTokens, type AdminTokenStatus } from './admin-token.ts';
import { installApiAuth, PAIRING_PUBLIC_PATHS } from './api-auth.ts';
import { installHttpsOnlyDashboard } from './https-only.ts';
import { SessionStore } from './sessions.ts';
import { AuditLog } from './audit-log.ts';
import { aedesBrokerControl, type BrokerControl } from './broker-control.ts';
import { createBrokerAcl, type BrokerAcl } from './broker-acl.ts';
import { controllerPolicyFromDevices, type PolicyDevice } from './controller-policy.ts';
import { CredentialStore, HUB_USERNAME } from './credential-store.ts';
import { provisionNodeCredentials, writeNodeCredentialsFile } from './node-credentials.ts';
import { revokeNode, type RevocationReport } from './revocation.ts';
import { RpcSecrets } from './rpc-secrets.ts';

export interface SecurityOptions {
  dataDir: string;
  db: Db;
  logger: Logger;
  /** counts and rate-limits the log of refused MQTT clients, publishes and subscriptions */
  rejections?: Rejections;
  /** the registry's device lookup (`id => registry.device(id)`): the controller role's /set policy */
  devices: (deviceId: string) => PolicyDevice | undefined;
  /** --mdns-interface (repeatable): where the LAN listeners live; none = loopback */
  interfaces?: readonly string[];
  /** HTTPS and MQTTS listen address: default the interface's address with one interface, 0.0.0.0 with more, else 127.0.0.1 */
  lanHost?: string;
  /** 0 = a free port */
  httpsPort?: number;
  mqttsPort?: number;
  /** how long a dashboard sign-in lasts (default 30 days) */
  sessionTtlMs?: number;
  now?: () => number;
}

/** Where LAN devices reach the hub; the listeners fill in their real ports, mDNS the advertised host. */
export interface LanEndpoint {
  /** the address the listeners bind */
  readonly bindHost: string;
  host: string;
  httpsPort: number;
  mqttsPort: number;
}

/** The security feature's face: what the broker, the API, pairing, mDNS and the demo use. */
export interface Security {
  readonly hubId: string;
  readonly certificate: HubCertificate;
  /** `created` once, on first start: the token to show the owner */
  readonly adminToken: AdminTokenStatus;
  readonly adminTokens: AdminTokens;
  /** the dashboard's sign-in sessions (cookie), in SQLite */
  readonly sessions: SessionStore;
  readonly audit: AuditLog;
  readonly credentials: CredentialStore;
  /** each node's secret for signing `command` RPCs (rpc-secrets.ts; the transport signs with it) */
  readonly rpcSecrets: RpcSecrets;
  readonly acl: BrokerAcl;
  /** --mdns-interface values */
  readonly interfaces: readonly string[];
  readonly endpoint: LanEndpoint;
  readonly brokerHooks: Pick<BrokerAcl, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>;
  readonly hubMqttCredentials: { username: string; password: string };
  revoke(nodeId: string, ctx: { actor: string; source?: string }): Promise<RevocationReport>;
  attachBroker(broker: { handle: (socket: Socket) => void; aedes?: Aedes }): Promise<{ mqttsUrl: string }>;
  /**
   * `httpsOnly`: the plain listener is reachable beyond loopback, so pages outside `/api` go to the HTTPS listener
   * at this port (undefined: none reachable, refused)
   */
  installAuth(app: FastifyInstance, opts?: { openReadsOnLoopback?: boolean; publicPaths?: readonly string[]; httpsOnly?: () => number | undefined }): void;
  provisionDemo(nodeIds: readonly string[], file: string): Promise<string>;
  provisionDemoSecrets(nodeIds: readonly string[], file: string): string;
  stop(): Promise<void>;
}

/**
 * The hub's security (issue 5) without pairing: TLS certificate and hub id, admin token, MQTT credentials, the
 * broker ACL, revocation and the audit log. Made before the broker (its ACL hooks), attached to it after
 * (`attachBroker`: MQTT over TLS, the retained store revocation clears).
 */
export async function createSecurity(opts: SecurityOptions): Promise<Security> {
  const log = opts.logger.child({ component: 'security' });
  const interfaces = [...(opts.interfaces ?? [])];
  const bindHost = opts.lanHost ?? (interfaces.length === 1 ? ipv4Of(interfaces[0]!) : interfaces.length > 1 ? '0.0.0.0' : '127.0.0.1');
  const certificate: HubCertificate = await ensureHubCertificate(opts.dataDir, { logger: opts.logger, addresses: bindHost === '0.0.0.0' ? [] : [bindHost] });
  const audit = new AuditLog(opts.db, opts.logger, opts.now);
  const credentials = new CredentialStore(opts.db);
  const adminTokens = new AdminTokens(opts.db, opts.dataDir, audit);
  const sessions = new SessionStore(opts.db, { ttlMs: opts.sessionTtlMs ?? 30 * 86_400_000, ...(opts.now ? { now: opts.now } : {}) });
  const adminToken: AdminTokenStatus = adminTokens.ensure();
  // the hub's own broker password: new on every start, held in memory only
  const hubCredentials = await credentials.issue({ username: HUB_USERNAME, role: 'hub', source: 'hub' });
  const rpcSecrets = new RpcSecrets(opts.dataDir, credentials);
  const acl: BrokerAcl = createBrokerAcl({ credentials, controllerPolicy: controllerPolicyFromDevices(opts.devices), logger: opts.logger, ...(opts.rejections ? { rejections: opts.rejections } : {}) });
  const endpoint: LanEndpoint = { bindHost, host: bindHost === '0.0.0.0' ? '127.0.0.1' : bindHost, httpsPort: opts.httpsPort ?? 8443, mqttsPort: opts.mqttsPort ?? 8883 };
  let brokerControl: BrokerControl | undefined;
  const closers: (() => Promise<void> | void)[] = [];

  return {
    hubId: certificate.hubId,
    certificate,
    adminToken,
    adminTokens,
    sessions,
    audit,
    credentials,
    rpcSecrets,
    acl,
    interfaces,
    endpoint,
    /** for startEmbeddedBroker({ hooks }) */
    brokerHooks: { authenticate: acl.authenticate, authorizePublish: acl.authorizePublish, authorizeSubscribe: acl.authorizeSubscribe },
    /** for MqttConnection.open({ ...hubMqttCredentials }) */
    hubMqttCredentials: { username: hubCredentials.username, password: hubCredentials.password },

    revoke(nodeId, ctx) {
      // the hub stops signing for it at once (a derived secret goes with the credentials revocation deletes)
      rpcSecrets.forget(nodeId);
      return revokeNode({ credentials, acl, audit, logger: opts.logger, ...(brokerControl ? { broker: brokerControl } : {}) }, nodeId, ctx);
    },

    /** after the broker started: MQTT over TLS into it, and its retained store for revocation */
    async attachBroker(broker) {
      if (broker.aedes) brokerControl = aedesBrokerControl(broker.aedes);
      else log.warn('the broker gave no access to its retained store: revocation will not clear retained topics');
      const mqtts = await startMqttsListener({ handle: broker.handle, host: bindHost, port: endpoint.mqttsPort, certPem: certificate.certPem, keyPem: certificate.keyPem, logger: opts.logger });
      endpoint.mqttsPort = mqtts.port;
      closers.push(() => mqtts.close());
      return { mqttsUrl: mqtts.url };
    },

    /** bearer auth on the API's root instance, before any route is registered */
    installAuth(app, authOpts = {}) {
      if (authOpts.httpsOnly) installHttpsOnlyDashboard(app, authOpts.httpsOnly);
      installApiAuth(app, { verify: (t) => adminTokens.verify(t), sessions, audit, ...(opts.rejections ? { rejections: opts.rejections } : {}), publicPaths: authOpts.publicPaths ?? PAIRING_PUBLIC_PATHS, ...(authOpts.openReadsOnLoopback !== undefined ? { openReadsOnLoopback: authOpts.openReadsOnLoopback } : {}) });
    },

    /** per-node credentials and RPC secrets for simulated nodes, written where `steward-sim --credentials FILE` reads them */
    async provisionDemo(nodeIds, file) {
      writeNodeCredentialsFile(file, await provisionNodeCredentials(credentials, nodeIds, { audit, rpcSecrets }));
      return file;
    },

    /**
     * With an external broker (whose own users apply, so no MQTT credentials are issued): only each simulated node's
     * RPC secret, fresh at every start, in the same file format.
     */
    provisionDemoSecrets(nodeIds, file) {
      writeNodeCredentialsFile(file, Object.fromEntries(nodeIds.map((id) => [id, { rpcSecret: rpcSecrets.provision(id) }])));
      audit.record({ kind: 'credentials.issued', actor: 'system', detail: { role: 'node', source: 'demo', rpcSecretsOnly: true, nodes: [...nodeIds] } });
      return file;
    },

    async stop() {
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
