import { parseArgs } from 'node:util';
import { NodeAgent } from './agent.ts';
import { loadAgentConfig, withOverrides } from './config.ts';
import { createLogger } from './logger.ts';

// the pairing commands (mDNS, SRP, HTTPS) load only when asked for: `start --config` stays light and fast
const pairingCli = () => import('./pairing/cli.ts');

const usage = async () => `usage: steward-agent start --config FILE [--node ID] [--url URL] [--username NAME] [--password SECRET]
                           [--log-level LEVEL] [--exit-with-stdin]

  --config FILE      agent config (JSON): mqtt, node and devices with their driver modules
  --node ID          the node id the config must hold (names the process in ps; a mismatch is refused)
  --url URL          broker URL, overrides mqtt.url (e.g. mqtt://127.0.0.1:1883)
  --username NAME    overrides mqtt.username
  --password SECRET  overrides mqtt.password (or set STEWARD_MQTT_PASSWORD, which stays out of ps)
  --log-level LEVEL  fatal|error|warn|info|debug|trace|silent (default: STEWARD_LOG_LEVEL, LOG_LEVEL or info)
  --exit-with-stdin  stop when stdin closes (a supervisor's lifeline: its death ends the agent)

Prints "ready <node-id> <n> devices <url>" on stdout once the node is announced; logs go to stderr (readable on a terminal, JSON otherwise).
SIGINT/SIGTERM publish $state "disconnected" and exit.

Paired with a hub (one step: the owner opens a window on the hub, then):
${(await pairingCli()).PAIRING_USAGE}`;

/** a URL without the user:password part, for printing */
function redact(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.href.replace(/\/$/, '');
}

function fail(message: string, code: number): never {
  process.stderr.write(`steward-agent: ${message}\n`);
  process.exit(code);
}

/** `pair …` and `start --data-dir …`: the paired agent (credentials and pinned hub in the data dir) */
async function pairing(argv: string[]): Promise<never> {
  let code: number;
  try {
    code = await (await pairingCli()).runPairingCommand(argv);
  } catch (e) {
    process.stderr.write(`steward-agent: ${(e as Error).message}\n`);
    // usage and bad input: 2 (as parseArgs errors); anything else (hub unreachable, refused): 1
    const c = (e as { code?: string }).code;
    code = c === 'BAD_REQUEST' || c === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || c === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || c === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' ? 2 : 1;
  }
  // the agent's sockets are closed by then; a stray timer must not keep a finished command alive
  process.exit(code);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'pair' || (argv[0] === 'start' && argv.includes('--data-dir'))) await pairing(argv);
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        node: { type: 'string' },
        url: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        'log-level': { type: 'string' },
        'exit-with-stdin': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message}\n${await usage()}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${await usage()}\n`);
    return;
  }
  if (positionals[0] !== 'start' || positionals.length > 1) fail(`expected the command "start"\n${await usage()}`, 2);
  if (!values.config) fail(`--config FILE is required\n${await usage()}`, 2);

  let agent: NodeAgent;
  try {
    const { config: fromFile, baseDir } = loadAgentConfig(values.config);
    const config = withOverrides(fromFile, {
      url: values.url,
      username: values.username,
      password: values.password ?? process.env.STEWARD_MQTT_PASSWORD,
    });
    if (values.node !== undefined && values.node !== config.node.id) fail(`--node ${values.node} but the config is for node ${config.node.id}`, 2);
    const logger = createLogger({ level: values['log-level'], nodeId: config.node.id });
    agent = new NodeAgent(config, { logger, baseDir });
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      agent.stop().then(
        () => process.exit(0),
        (e: Error) => {
          logger.error({ err: e.message }, 'stop failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    if (values['exit-with-stdin']) {
      process.stdin.on('end', () => stop('stdin closed')).on('error', () => stop('stdin closed'));
      process.stdin.resume();
    }
    try {
      await agent.start();
    } catch (e) {
      if (stopping) return; // stopped before it was ready: stop() exits
      throw e;
    }
    process.stdout.write(`ready ${config.node.id} ${agent.deviceCount} devices ${redact(config.mqtt.url)}\n`);
  } catch (e) {
    fail((e as Error).message, 1);
  }
}

await main();
