import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';
import { PairingConfigSchema } from './pairing/config.ts';

const port = z.number().int().min(0, 'a port is 0 (any free port) to 65535').max(65535, 'a port is 0 (any free port) to 65535');

/** The hub's whole configuration. The CLI builds it from flags; tests and the benchmark runner pass it to `createHub`. */
export const HubConfigSchema = z
  .object({
    httpHost: z.string().min(1).default('127.0.0.1'),
    /** 0 picks a free port; read the real one from `hub.httpUrl` */
    httpPort: port.default(8080),
    /** where the embedded broker listens (ignored with `mqttUrl`) */
    mqttHost: z.string().min(1).default('127.0.0.1'),
    mqttPort: port.default(1883),
    /** an external broker (Mosquitto): the hub then starts no embedded broker */
    mqttUrl: z
      .string()
      .regex(/^mqtts?:\/\/[^/\s]+(:\d+)?\/?$/, 'mqttUrl must look like mqtt://HOST:PORT')
      .optional(),
    /**
     * where the hub advertises `_steward._tcp` by mDNS and serves HTTPS pairing and MQTT over TLS (--mdns-interface,
     * repeatable); none = loopback only, so no device on the LAN can find or pair with this hub
     */
    mdnsInterfaces: z.array(z.string().min(1).max(15)).default([]),
    /** the LAN HTTPS listener (agents' pairing exchange); 0 picks a free port */
    httpsPort: port.default(8443),
    /** the LAN MQTT-over-TLS listener into the embedded broker (paired agents); 0 picks a free port */
    mqttsPort: port.default(8883),
    /** pairing window length, attempt limit and rate limit (tests shorten them) */
    pairing: PairingConfigSchema.optional(),
    /** holds steward.db, the TLS certificate, admin-token and demo-credentials.json */
    dataDir: z.string().min(1).default('.data'),
    /** seeds the registry: what is missing is inserted, renames made through the API are kept */
    homeFile: z.string().min(1).optional(),
    /** run the home file's nodes as simulated node-agent processes */
    demo: z.boolean().default(false),
    /** simulated time runs this many times faster (demo only) */
    timeScale: z.number().positive().max(10_000).default(1),
    /** how long a node has to acknowledge an RPC before the command fails with TIMEOUT */
    rpcTimeoutMs: z.number().int().positive().max(120_000).default(3000),
    /** how long a change listed under `confirm` waits for the owner's yes (tests shorten it) */
    confirmTtlMs: z.number().int().positive().max(3_600_000).default(60_000),
    /** how long the demo may take to bring every node online */
    nodesOnlineTimeoutMs: z.number().int().positive().default(30_000),
    /** MQTT packets above this are refused by the embedded broker (the connection is closed) */
    maxPacketBytes: z.number().int().min(1024).default(512 * 1024),
    /** HTTP bodies above this get 413 */
    httpBodyLimitBytes: z.number().int().min(256).default(16 * 1024),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.demo && !c.homeFile) ctx.addIssue({ code: 'custom', path: ['homeFile'], message: 'the demo needs a home file' });
  });

export type HubConfig = z.infer<typeof HubConfigSchema>;
export type HubConfigInput = z.input<typeof HubConfigSchema>;

/** Validates a configuration; the error names every bad field so a CLI can print it as is. */
export function parseHubConfig(input: unknown): HubConfig {
  const r = HubConfigSchema.safeParse(input);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw new StewardError('BAD_REQUEST', `invalid hub configuration: ${why}`);
  }
  return r.data;
}
