import { X509Certificate, createHash } from 'node:crypto';
import { request } from 'node:https';
import { connect, type PeerCertificate } from 'node:tls';
import { StewardError } from '@steward/device-adapters';

export interface Endpoint {
  host: string;
  port: number;
  /** bind the client side to this local address (tests: a second loopback source) */
  localAddress?: string;
}

const sha256Hex = (der: Buffer) => createHash('sha256').update(der).digest('hex');

/**
 * TLS options that trust exactly one certificate: it is the only trust anchor (`ca`) and its SHA-256 must match
 * (`checkServerIdentity` replaces the host name check, since hubs are reached by address). For https and mqtts.
 */
export function pinnedTlsOptions(certPem: string, fingerprint: string) {
  return {
    ca: certPem,
    rejectUnauthorized: true,
    checkServerIdentity: (_host: string, cert: PeerCertificate): Error | undefined =>
      sha256Hex(cert.raw) === fingerprint ? undefined : new Error(`the server's certificate is not the pinned one (${fingerprint.slice(0, 16)}…)`),
  };
}

/** Reads the server's certificate without trusting it (the pairing proof decides whether to). */
export function fetchCertificate(ep: Endpoint, timeoutMs = 10_000): Promise<{ certPem: string; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: ep.host, port: ep.port, rejectUnauthorized: false, ...(ep.localAddress ? { localAddress: ep.localAddress } : {}) });
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS answer from ${ep.host}:${ep.port} in ${timeoutMs} ms`)), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const raw = socket.getPeerCertificate(false).raw;
      socket.end();
      if (!raw) return reject(new StewardError('DRIVER_ERROR', `${ep.host}:${ep.port} sent no certificate`));
      resolve({ certPem: new X509Certificate(raw).toString(), fingerprint: sha256Hex(raw) });
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(new StewardError('NODE_OFFLINE', `cannot reach the hub at ${ep.host}:${ep.port}: ${e.message}`));
    });
  });
}

/** POSTs JSON over HTTPS pinned to one certificate; resolves with the status and parsed body whatever the status. */
export function pinnedPostJson(ep: Endpoint, pin: { certPem: string; fingerprint: string }, path: string, body: unknown, timeoutMs = 20_000): Promise<{ status: number; body: unknown }> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: ep.host,
        port: ep.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': data.length },
        agent: false,
        timeout: timeoutMs,
        ...(ep.localAddress ? { localAddress: ep.localAddress } : {}),
        ...pinnedTlsOptions(pin.certPem, pin.fingerprint),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > 256 * 1024) req.destroy(new Error('the hub answered more than 256 KiB'));
          else chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: the caller reports the status with the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${ep.host}:${ep.port} in ${timeoutMs} ms`)));
    req.on('error', (e) => reject(new StewardError('NODE_OFFLINE', `pairing request to ${ep.host}:${ep.port}${path} failed: ${e.message}`)));
    req.end(data);
  });
}
