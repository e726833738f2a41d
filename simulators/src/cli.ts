import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadHome } from '@steward/device-adapters';
import { FleetCredentialsSchema, startFleet, type Fleet, type FleetCredentials } from './fleet.ts';

const USAGE = `usage: steward-sim home <home.json> --hub <mqtt url> [--time-scale N] [--credentials FILE] [--state-dir DIR]
                                                   [--log-level LEVEL]

  home <home.json>    the home file: one node-agent process per node, hosting its devices with their initial states
  --hub URL           the broker, e.g. mqtt://127.0.0.1:1883
  --time-scale N      simulated time speed (default 1 = real time; 60 = a minute per second)
  --credentials FILE  JSON {"<node-id>": {"username": "...", "password": "...", "rpcSecret": "..."}}: the agents'
                      MQTT logins and the secrets the hub signs their commands with (the hub writes this file)
  --state-dir DIR     keep each node's device states in DIR/<node-id>.json: a restart resumes where it was
  --log-level LEVEL   the agents' log level on stderr (default warn)

Each node runs as its own steward-agent process (\`ps\` shows "steward-agent ... --node <node-id>"). An agent
that exits is started again after 1 s, then 2, 4… up to 30 s while it keeps failing.
Prints "ready <node-id> <n> devices pid <pid>" when a node is ready (again after each restart) and
"restarting <node-id> in <ms> ms after <exit code or signal> (restart <n>)" when an agent exited.
SIGINT/SIGTERM stop every agent.`;

function fail(message: string, code: number): never {
  process.stderr.write(`steward-sim: ${message}\n`);
  process.exit(code);
}

function readCredentials(path: string): FleetCredentials {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    fail(`cannot read credentials ${path}: ${(e as Error).message}`, 1);
  }
  const r = FleetCredentialsSchema.safeParse(raw);
  if (!r.success) fail(`invalid credentials ${path}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 1);
  return r.data;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        hub: { type: 'string' },
        'time-scale': { type: 'string' },
        credentials: { type: 'string' },
        'state-dir': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  if (positionals[0] !== 'home' || positionals.length !== 2) fail(`expected: home <home.json>\n${USAGE}`, 2);
  if (!values.hub) fail(`--hub URL is required\n${USAGE}`, 2);
  const timeScale = values['time-scale'] === undefined ? 1 : Number(values['time-scale']);
  if (!Number.isFinite(timeScale) || timeScale <= 0) fail(`--time-scale must be a positive number, got ${values['time-scale']}`, 2);

  let home;
  try {
    home = loadHome(positionals[1]!);
  } catch (e) {
    fail((e as Error).message, 1);
  }
  const credentials = values.credentials ? readCredentials(values.credentials) : undefined;

  let fleet: Fleet | undefined;
  const lastExit: Record<string, string> = {};
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`stopping (${signal})\n`);
    (fleet?.stop() ?? Promise.resolve()).then(
      () => process.exit(0),
      (e: Error) => fail(`stop failed: ${e.message}`, 1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    fleet = await startFleet({
      home,
      url: values.hub,
      timeScale,
      ...(credentials ? { credentials } : {}),
      ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
      ...(values['log-level'] ? { logLevel: values['log-level'] } : {}),
      onNodeReady: (n) => process.stdout.write(`ready ${n.nodeId} ${n.devices.length} devices pid ${n.pid}\n`),
      onNodeExit: (n, code, signal) => (lastExit[n.nodeId] = signal ?? `code ${code}`),
      onNodeRestart: (n, { delayMs, restarts }) =>
        process.stdout.write(`restarting ${n.nodeId} in ${delayMs} ms after ${lastExit[n.nodeId] ?? 'exit'} (restart ${restarts})\n`),
    });
  } catch (e) {
    fail((e as Error).message, 1);
  }
  const devices = fleet.nodes.reduce((n, node) => n + node.devices.length, 0);
  process.stdout.write(`fleet ready: ${fleet.nodes.length} nodes, ${devices} devices on ${values.hub} (time scale ${timeScale})\n`);
  if (stopping) return; // a signal arrived while starting
}

await main();
