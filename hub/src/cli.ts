import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadHome } from '@steward/device-adapters';
import { parseHubConfig, type HubConfig } from './config.ts';
import { DB_FILE } from './store/database.ts';
import { createHub, type Hub } from './hub.ts';
import { ipv4Of } from './net/interfaces.ts';
import { ADMIN_COMMANDS, ADMIN_USAGE, AdminUsageError, runAdminCommand } from './admin-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_HOME = resolve(ROOT, '../shared/benchmarks/commands/home.json');

const USAGE = `usage: steward-hub [options]            (npm start -- [options])
${ADMIN_USAGE}

  --home FILE          home file that seeds the registry (default: ${DEFAULT_HOME})
  --no-demo            do not run the home's nodes as simulated node-agent processes
  --http-host HOST     HTTP API address (default 127.0.0.1)
  --http-port P        HTTP API port (default 8080; 0 = any free port)
  --mqtt-host HOST     embedded broker address (default 127.0.0.1)
  --mqtt-port Q        embedded broker port (default 1883; 0 = any free port)
  --mqtt-url URL       use an external broker (e.g. Mosquitto at mqtt://127.0.0.1:1883) instead of the embedded one
  --mdns-interface IF  advertise _steward._tcp and serve pairing (HTTPS) and MQTT over TLS on this interface;
                       repeatable. Without it the hub advertises on loopback only: no LAN device can pair
  --https-port P       HTTPS pairing listener (default 8443; 0 = any free port)
  --mqtts-port P       MQTT-over-TLS listener for paired agents (default 8883; 0 = any free port)
  --data-dir D         where ${DB_FILE}, the TLS certificate and admin-token live (default ./.data)
  --time-scale N       simulated time runs N times faster (demo only; default 1)
  --rpc-timeout-ms MS  how long a node has to acknowledge a command (default 3000)
  --log-level LEVEL    fatal|error|warn|info|debug|trace|silent (default info; logs go to stderr as JSON)

Security: the embedded broker takes only clients with credentials (paired nodes, the demo's nodes, the hub, and
credentials made with POST /api/mqtt-credentials). Mutating API calls need Authorization: Bearer <admin token>;
the token is printed once on first start and kept in <data-dir>/admin-token (mode 0600). GETs are open on loopback.

Two hubs side by side: give each its own --http-port, --mqtt-port, --https-port, --mqtts-port and --data-dir.`;

class UsageError extends Error {}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`);
  return n;
}

function readConfig(argv: string[]): HubConfig | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        home: { type: 'string' },
        'no-demo': { type: 'boolean' },
        'http-host': { type: 'string' },
        'http-port': { type: 'string' },
        'mqtt-host': { type: 'string' },
        'mqtt-port': { type: 'string' },
        'mqtt-url': { type: 'string' },
        'data-dir': { type: 'string' },
        'time-scale': { type: 'string' },
        'rpc-timeout-ms': { type: 'string' },
        'log-level': { type: 'string' },
        'mdns-interface': { type: 'string', multiple: true },
        'https-port': { type: 'string' },
        'mqtts-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return 'help';
  const homeFile = resolve(values.home ?? DEFAULT_HOME);
  if (!existsSync(homeFile)) throw new UsageError(`the home file ${homeFile} does not exist`);
  // a bad home file is a configuration error: say what is wrong before anything starts
  loadHome(homeFile);
  for (const name of values['mdns-interface'] ?? []) {
    try {
      ipv4Of(name);
    } catch (e) {
      throw new UsageError(`--mdns-interface: ${(e as Error).message}`);
    }
  }
  const input = {
    homeFile,
    demo: !values['no-demo'],
    dataDir: resolve(values['data-dir'] ?? '.data'),
    ...(values['http-host'] !== undefined ? { httpHost: values['http-host'] } : {}),
    ...(values['mqtt-host'] !== undefined ? { mqttHost: values['mqtt-host'] } : {}),
    ...(values['mqtt-url'] !== undefined ? { mqttUrl: values['mqtt-url'] } : {}),
    ...(values['log-level'] !== undefined ? { logLevel: values['log-level'] } : {}),
    mdnsInterfaces: values['mdns-interface'] ?? [],
  };
  const numbers = {
    httpPort: numberFlag('http-port', values['http-port']),
    mqttPort: numberFlag('mqtt-port', values['mqtt-port']),
    timeScale: numberFlag('time-scale', values['time-scale']),
    rpcTimeoutMs: numberFlag('rpc-timeout-ms', values['rpc-timeout-ms']),
    httpsPort: numberFlag('https-port', values['https-port']),
    mqttsPort: numberFlag('mqtts-port', values['mqtts-port']),
  };
  return parseHubConfig({ ...input, ...Object.fromEntries(Object.entries(numbers).filter(([, v]) => v !== undefined)) });
}

function banner(hub: Hub): string {
  const nodes = hub.registry.nodes();
  const online = nodes.filter((n) => n.online).length;
  const devices = hub.registry.devices().length;
  const mode = hub.config.demo ? `simulated, ${online}/${nodes.length} nodes online` : `${online}/${nodes.length} nodes online, no simulation`;
  const body = JSON.stringify({ text: 'turn on the living room light' });
  const token = hub.security.adminToken;
  const lan = hub.config.mdnsInterfaces;
  const pairing = hub.httpsUrl
    ? `  Pair  ${hub.httpsUrl}, MQTTS ${hub.mqttsUrl}, hub id ${hub.security.hubId}, ` +
      (lan.length > 0 ? `advertised by mDNS on ${lan.join(', ')}` : 'loopback only: no --mdns-interface given, so no LAN device can find or pair with this hub')
    : '  Pair  off: pairing needs the embedded broker (not with --mqtt-url)';
  const port = new URL(hub.httpUrl).port;
  return [
    'Steward hub is running.',
    `  HTTP  ${hub.httpUrl}   (API description: ${hub.httpUrl}/api/schema)`,
    `  MQTT  ${hub.mqttUrl}${hub.config.mqttUrl ? ' (external broker: its own authentication applies)' : ' (per-node credentials; anonymous clients refused)'}`,
    pairing,
    `  Home  ${hub.config.homeFile}: ${nodes.length} nodes, ${devices} devices (${mode})`,
    `  Data  ${join(hub.config.dataDir, DB_FILE)}`,
    ...(token.created
      ? [`  Admin token (shown once; kept in ${token.file}, mode 0600):`, `        ${token.created}`]
      : [`  Admin token in ${token.file}`]),
    'Try:',
    `  curl -s ${hub.httpUrl}/api/command -H "authorization: Bearer $(cat ${token.file})" -H 'content-type: application/json' -d '${body}'`,
    `  curl -s ${hub.httpUrl}/api/devices/living_room_light   (reads are open on loopback)`,
    `  steward-hub pair --data-dir ${hub.config.dataDir} --http-port ${port}   (then on the device: steward-agent pair --code CODE ...)`,
    'Stop with Ctrl-C.',
    '',
  ].join('\n');
}

async function admin(argv: string[]): Promise<never> {
  try {
    process.stdout.write(await runAdminCommand(argv));
    process.exit(0);
  } catch (e) {
    const usage = e instanceof AdminUsageError ? `\n\n${USAGE}` : '';
    process.stderr.write(`steward-hub: ${(e as Error).message}${usage}\n`);
    process.exit(e instanceof AdminUsageError || (e as { code?: string }).code === 'BAD_REQUEST' ? 2 : 1);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if ((ADMIN_COMMANDS as readonly string[]).includes(argv[0] ?? '')) await admin(argv);
  let config: HubConfig | 'help';
  try {
    config = readConfig(argv);
  } catch (e) {
    const usage = e instanceof UsageError ? `\n\n${USAGE}` : ' (see --help)';
    process.stderr.write(`steward-hub: ${(e as Error).message}${usage}\n`);
    process.exit(2);
  }
  if (config === 'help') return void process.stdout.write(`${USAGE}\n`);

  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const hub = createHub(config, { logger });
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    if (stopping) {
      process.stderr.write('steward-hub: stopping already; press Ctrl-C again after a few seconds to force\n');
      process.on(signal, () => process.exit(130));
      return;
    }
    logger.info({ signal }, 'stopping');
    stopping = hub.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    await hub.start();
  } catch (e) {
    if (stopping) return;
    const message = (e as Error).message;
    const hint = /EADDRINUSE/.test(message) ? ' (another hub running? choose other ports with --http-port, --mqtt-port, --https-port and --mqtts-port)' : '';
    process.stderr.write(`steward-hub: cannot start: ${message}${hint}\n`);
    process.exit(1);
  }
  if (!stopping) process.stdout.write(banner(hub));
}

await main();
