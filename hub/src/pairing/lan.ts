import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Security } from '../auth/security.ts';
import type { Clock } from '../core/clock.ts';
import type { PairingConfigInput } from './config.ts';
import type { OnNodePaired } from './devices.ts';
import { startLanServer, type HttpsFallback } from './lan-server.ts';
import { PairingService } from './service.ts';

/** The pairing service on the security feature's certificate, credentials and LAN endpoint. */
export function createPairingService(security: Security, opts: { logger: Logger; onNodePaired?: OnNodePaired; config?: PairingConfigInput; clock?: Clock; now?: () => number }): PairingService {
  return new PairingService({
    hubId: security.hubId,
    fingerprint: security.certificate.fingerprint,
    endpoint: () => ({ host: security.endpoint.host, httpsPort: security.endpoint.httpsPort, mqttsPort: security.endpoint.mqttsPort }),
    credentials: security.credentials,
    // the node's secret for signed commands goes into the sealed box with its MQTT login
    rpcSecrets: security.rpcSecrets,
    audit: security.audit,
    logger: opts.logger,
    disconnect: (username) => security.acl.disconnect(username),
    ...(opts.onNodePaired ? { onNodePaired: opts.onNodePaired } : {}),
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
}

/** The HTTPS pairing server on the LAN address, on the hub's certificate; its real port goes into the endpoint. */
export async function startPairingServer(
  security: Security,
  pairing: PairingService,
  logger: Logger,
  register?: (app: FastifyInstance) => void | Promise<void>,
  fallback?: () => HttpsFallback | undefined,
): Promise<{ httpsUrl: string; close(): Promise<void> }> {
  const lan = await startLanServer({
    host: security.endpoint.bindHost,
    port: security.endpoint.httpsPort,
    certPem: security.certificate.certPem,
    keyPem: security.certificate.keyPem,
    service: pairing,
    logger,
    ...(register ? { register } : {}),
    ...(fallback ? { fallback } : {}),
  });
  security.endpoint.httpsPort = lan.port;
  return { httpsUrl: lan.url, close: () => lan.close() };
}
