/**
 * Our Matter controller (the @steward/driver-matter discovery) in a process of its own, for the matter-* tests:
 * run ONLY under `ip netns exec` in a namespace the test created. Args: --data-dir DIR [--interface IF].
 * Prints `{"event":"ready","found":[...]}` once started, `{"event":"discovery",...}` for found/lost devices and
 * `{"event":"update","key",...}` for every state update of an opened device. Takes JSON lines on stdin
 * (`{"id","cmd":"commission"|"found"|"open"|"execute"|"closeDriver"|"state"|"share"|"forget"|"close", ...}`), each answered by
 * `{"event":"reply","id","ok",...}` (errors as `{code, message}`).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createDiscovery } from '@steward/driver-matter';
import { toErrorBody, type DeviceDescriptor, type DeviceDriver, type State } from '@steward/device-adapters';

const { values: args } = parseArgs({ options: { 'data-dir': { type: 'string' }, interface: { type: 'string' } } });
if (!args['data-dir']) throw new Error('--data-dir is required');

const out = (obj: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const logLine = (level: string) => (obj: object, msg?: string) => process.stderr.write(`${JSON.stringify({ level, msg, ...obj })}\n`);
const log = { info: logLine('info'), warn: logLine('warn'), error: logLine('error') };

const discovery = createDiscovery({ ...(args.interface ? { mdnsInterface: args.interface } : {}), connectWaitMs: 20_000, subscribeMaxIntervalS: 5 }, { dataDir: args['data-dir'], log });
discovery.onChange((e) => out({ event: 'discovery', ...e }));
await discovery.start();
out({ event: 'ready', found: discovery.found() });

const drivers = new Map<string, DeviceDriver>();

type Msg = { id?: string; cmd?: string; code?: string; key?: string; descriptor?: DeviceDescriptor; state?: State; command?: string; params?: Record<string, unknown> };
async function handle(msg: Msg): Promise<Record<string, unknown>> {
  switch (msg.cmd) {
    case 'commission':
      return { found: await discovery.commission(msg.code!) };
    case 'found':
      return { found: discovery.found() };
    case 'open': {
      const driver = await discovery.open(msg.key!, msg.descriptor!, msg.state ?? {});
      drivers.set(msg.key!, driver);
      driver.onUpdate((u) => out({ event: 'update', key: msg.key, ...u }));
      return { state: driver.state(), targets: driver.targets() };
    }
    case 'execute': {
      const driver = drivers.get(msg.key!)!;
      await driver.execute(msg.command!, msg.params ?? {});
      return { state: driver.state(), targets: driver.targets() };
    }
    case 'closeDriver':
      await drivers.get(msg.key!)?.close();
      drivers.delete(msg.key!);
      return {};
    case 'state':
      return { state: drivers.get(msg.key!)!.state() };
    case 'share':
      return { codes: await discovery.share(msg.key!) };
    case 'forget':
      await discovery.forget(msg.key!);
      return {};
    case 'close':
      for (const d of drivers.values()) await d.close();
      await discovery.close();
      setTimeout(() => process.exit(0), 50);
      return {};
    default:
      throw new Error(`unknown command ${msg.cmd}`);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let msg: Msg = {};
  try {
    msg = JSON.parse(line) as Msg;
  } catch {
    return out({ event: 'reply', ok: false, error: { code: 'BAD_REQUEST', message: 'not JSON' } });
  }
  handle(msg).then(
    (r) => out({ event: 'reply', id: msg.id, ok: true, ...r }),
    (e) => out({ event: 'reply', id: msg.id, ok: false, error: toErrorBody(e) }),
  );
});

const stop = async () => {
  await discovery.close().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
