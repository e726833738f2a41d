import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadHome } from '@steward/device-adapters';
import { HUB_OPTIONS, configure, type HubConfig } from './config.ts';
import { UsageError, optionsHelp, readOptions, type OptionGroup } from './cli-options.ts';
import { DB_FILE } from './store/database.ts';
import { createHub, defaultFeatures, type Hub } from './hub.ts';
import { createHubLogger } from './core/logger.ts';
import { ipv4Of } from './net/interfaces.ts';
import { ADMIN_COMMANDS, ADMIN_USAGE, AdminUsageError, runAdminCommand } from './admin-cli.ts';
import { TRAJECTORIES_USAGE, TrajectoriesUsageError, runTrajectoriesCommand } from './trajectories/export-cli.ts';

// the demo home ships in the repository (hub/src/demo), read by path both from src/ and from the built dist/
const HUB_ROOT = fileURLToPath(new URL('../', import.meta.url));
const DEFAULT_HOME = resolve(HUB_ROOT, 'src/demo/demo-home.json');

const FEATURE_OPTIONS: OptionGroup[] = [
  { key: undefined, options: HUB_OPTIONS },
  ...defaultFeatures().flatMap((f) => (f.config && f.config.options.length > 0 ? [{ key: f.config.key, options: f.config.options }] : [])),
];

const USAGE = `usage: steward-hub [options]            (npm start -- [options])
${ADMIN_USAGE}
${TRAJECTORIES_USAGE}

Options (each also as the environment variable in brackets; a flag wins):
${optionsHelp(FEATURE_OPTIONS)}
  (--home defaults to the demo home, ${DEFAULT_HOME}; with --no-demo and no --home, there is no home file at all:
   devices join by pairing)

Security: the embedded broker takes only clients with credentials (paired nodes, the demo's nodes, the hub, and
credentials made with POST /api/mqtt-credentials). Mutating API calls need Authorization: Bearer <admin token>;
the token is printed once on first start and kept in <data-dir>/admin-token (mode 0600). GETs are open on loopback.

Two hubs side by side: give each its own --http-port, --mqtt-port, --https-port, --mqtts-port and --data-dir.`;

function readConfig(argv: string[]): { input: Record<string, unknown>; config: HubConfig } | 'help' {
  const { input, extra } = readOptions(FEATURE_OPTIONS, argv, process.env, { help: { type: 'boolean', short: 'h' } });
  if (extra.help) return 'help';
  const store = ((input.store as Record<string, unknown> | undefined) ?? {}) as { homeFile?: string };
  // --no-demo alone runs an empty hub: no home file is needed
  const demo = (input.demo as { enabled?: boolean } | undefined)?.enabled !== false;
  if (store.homeFile !== undefined || demo) {
    const homeFile = resolve(store.homeFile ?? DEFAULT_HOME);
    if (!existsSync(homeFile)) throw new UsageError(`the home file ${homeFile} does not exist`);
    // a bad home file is a configuration error: say what is wrong before anything starts
    loadHome(homeFile);
    input.store = { ...store, homeFile };
  }
  input.dataDir = resolve((input.dataDir as string | undefined) ?? '.data');
  for (const name of ((input.security as { interfaces?: string[] } | undefined)?.interfaces ?? [])) {
    try {
      ipv4Of(name);
    } catch (e) {
      throw new UsageError(`--mdns-interface: ${(e as Error).message}`);
    }
  }
  // the banner comes as soon as the API listens; the demo's agents come up after it (main waits for them)
  input.demo = { ...((input.demo as Record<string, unknown> | undefined) ?? {}), awaitOnline: false };
  return { input, config: configure(defaultFeatures(), input).flat };
}

function plannerLine(hub: Hub): string {
  const summary = hub.features.includes('planner') ? hub.feature('planner').summary : undefined;
  return summary ? `planner on: ${summary} (open-ended requests; rules first)` : 'off: rules only; open-ended requests need --llm-url and --llm-model, or --llm-gguf';
}

function banner(hub: Hub): string {
  const nodes = hub.registry.nodes();
  const online = nodes.filter((n) => n.online).length;
  const devices = hub.registry.devices().length;
  // the demo's agents start after the banner; a "Demo: …" line follows when they are all online
  const mode = hub.config.demo ? `simulated, its agents starting` : `${online}/${nodes.length} nodes online, no simulation`;
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
    hub.config.homeFile
      ? `  Home  ${hub.config.homeFile}: ${nodes.length} nodes, ${devices} devices (${mode})`
      : `  Home  no home file: ${nodes.length} nodes, ${devices} devices (${mode}); devices join by pairing`,
    `  Data  ${join(hub.config.dataDir, DB_FILE)}`,
    `  LLM   ${plannerLine(hub)}`,
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

/** `trajectories export`: JSONL on stdout, the count on stderr */
function trajectories(argv: string[]): void {
  try {
    const { written, skipped } = runTrajectoriesCommand(argv, (line) => process.stdout.write(line));
    process.stderr.write(`steward-hub: exported ${written} trajectories${skipped ? ` (${skipped} corrected ones left out: the format cannot mark them)` : ''}\n`);
  } catch (e) {
    const usage = e instanceof TrajectoriesUsageError ? `\n\n${USAGE}` : '';
    process.stderr.write(`steward-hub: ${(e as Error).message}${usage}\n`);
    // exitCode, not exit(): stdout drains before the process ends
    process.exitCode = e instanceof TrajectoriesUsageError ? 2 : 1;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'trajectories') return trajectories(argv.slice(1));
  if ((ADMIN_COMMANDS as readonly string[]).includes(argv[0] ?? '')) await admin(argv);
  let read: ReturnType<typeof readConfig>;
  try {
    read = readConfig(argv);
  } catch (e) {
    const usage = e instanceof UsageError ? `\n\n${USAGE}` : ' (see --help)';
    process.stderr.write(`steward-hub: ${(e as Error).message}${usage}\n`);
    process.exit(2);
  }
  if (read === 'help') return void process.stdout.write(`${USAGE}\n`);

  const logger = createHubLogger(read.config.logLevel);
  const hub = createHub(read.input, { logger });
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
  if (stopping) return;
  process.stdout.write(banner(hub));
  if (!hub.config.demo) return;
  try {
    await hub.feature('demo').online();
  } catch (e) {
    if (stopping) return;
    process.stderr.write(`steward-hub: the demo did not come up: ${(e as Error).message}\n`);
    await hub.stop();
    process.exit(1);
  }
  if (stopping) return;
  const nodes = hub.registry.nodes();
  process.stdout.write(`Demo: ${nodes.filter((n) => n.online).length}/${nodes.length} nodes online.\n`);
}

await main();
