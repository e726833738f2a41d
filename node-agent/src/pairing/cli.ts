import { parseArgs } from 'node:util';
import { NodeKindSchema, StewardError } from '@steward/device-adapters';
import { createLogger } from '../logger.ts';
import { pairAgent } from './pair-agent.ts';
import { assertSimulatorsInstalled, parseDeviceType } from './simulate.ts';
import { startPairedAgent } from './start-agent.ts';

export const PAIRING_USAGE = `usage: steward-agent pair --code CODE --data-dir D [--interface IF] [--hub HOST:PORT] [--fingerprint FP]
                           [--name NAME] [--kind gateway|tv|appliance|car] [--simulate TYPE]... [--area AREA]
                           [--discovery MODULE]...
       steward-agent start --data-dir D [--simulate TYPE] [--time-scale N] [--exit-with-stdin]

  pair    CODE is the 8-digit code the hub showed, or its QR payload (steward://pair?...). The hub is found by
          mDNS on --interface (only there), or given with --hub. Writes D/credentials.json (mode 0600).
  start   runs the agent with the paired credentials over MQTT in TLS (mqtts://) pinned to that hub's
          certificate; prints "ready <node-id> <n> devices <mqtts url>" when the node is online.
  --name NAME       pair: the node's name, and its simulated device's ("Bedroom lamp", "卧室台灯"): English or
                    Chinese, at most 60 characters; the hub understands commands by it
  --area AREA       pair: where its devices are: an area id or name of the hub's home ("bedroom", "卧室")
  --simulate TYPE   pair: declare (and later host) a simulated device of this type (light, lock, curtain, tv, ...);
                    start: check that one was declared (the hub learns a node's devices when it pairs)
  --discovery MODULE pair: run this discovery module (devices found after pairing, adopted on the hub; e.g.
                    @steward/simulators/discovery-module.ts); kept in D/node.json, where its options go
  --log-level LEVEL fatal|error|warn|info|debug|trace|silent (default info; logs go to stderr: readable on a
                    terminal, JSON otherwise; STEWARD_LOG_FORMAT=pretty|json chooses)`;

/**
 * `steward-agent pair …` and `steward-agent start --data-dir …`: returns the exit code (start returns only after a
 * signal or stdin closing). The agent's main cli.ts hands these argv to it.
 */
export async function runPairingCommand(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      code: { type: 'string' },
      'data-dir': { type: 'string' },
      interface: { type: 'string' },
      hub: { type: 'string' },
      fingerprint: { type: 'string' },
      name: { type: 'string' },
      kind: { type: 'string' },
      simulate: { type: 'string', multiple: true },
      discovery: { type: 'string', multiple: true },
      area: { type: 'string' },
      'time-scale': { type: 'string' },
      'discovery-timeout-ms': { type: 'string' },
      'log-level': { type: 'string' },
      'exit-with-stdin': { type: 'boolean' },
    },
  });
  const command = positionals[0];
  const dataDir = values['data-dir'];
  if ((command !== 'pair' && command !== 'start') || positionals.length !== 1) throw new StewardError('BAD_REQUEST', `expected pair or start\n${PAIRING_USAGE}`);
  if (!dataDir) throw new StewardError('BAD_REQUEST', `--data-dir D is required\n${PAIRING_USAGE}`);
  const logger = createLogger({ ...(values['log-level'] ? { level: values['log-level'] } : {}) });
  const simulate = (values.simulate ?? []).map(parseDeviceType);
  if (simulate.length > 0) assertSimulatorsInstalled();
  const timeScale = values['time-scale'] === undefined ? undefined : Number(values['time-scale']);
  if (timeScale !== undefined && !(timeScale > 0)) throw new StewardError('BAD_REQUEST', '--time-scale must be a positive number');

  if (command === 'pair') {
    if (!values.code) throw new StewardError('BAD_REQUEST', `--code CODE is required\n${PAIRING_USAGE}`);
    const kind = values.kind === undefined ? undefined : NodeKindSchema.parse(values.kind);
    const r = await pairAgent({
      code: values.code,
      dataDir,
      logger,
      simulate,
      ...(values.discovery ? { discovery: values.discovery } : {}),
      ...(values.interface ? { interface: values.interface } : {}),
      ...(values.hub ? { hub: values.hub } : {}),
      ...(values.fingerprint ? { fingerprint: values.fingerprint } : {}),
      ...(values.name ? { name: values.name } : {}),
      ...(kind ? { kind } : {}),
      ...(values.area ? { area: values.area } : {}),
      ...(timeScale ? { timeScale } : {}),
      ...(values['discovery-timeout-ms'] ? { discoveryTimeoutMs: Number(values['discovery-timeout-ms']) } : {}),
    });
    out(`paired ${r.nodeId} with hub ${r.hubId} at ${r.host}:${r.httpsPort} (${r.method}); ${r.devices.length} devices; credentials in ${r.credentialsFile}`);
    return 0;
  }

  if (simulate.length > 1) throw new StewardError('BAD_REQUEST', 'start takes one --simulate TYPE (pair declares several)');
  const running = await startPairedAgent({ dataDir, logger, ...(simulate[0] ? { simulate: simulate[0] } : {}), ...(timeScale ? { timeScale } : {}) });
  out(`ready ${running.nodeId} ${running.agent.deviceCount} devices ${running.config.mqtt.url}`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (why: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ why }, 'stopping');
      running.stop().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    if (values['exit-with-stdin']) {
      process.stdin.on('end', () => stop('stdin closed')).on('error', () => stop('stdin closed'));
      process.stdin.resume();
    }
  });
}
