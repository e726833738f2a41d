/**
 * The owner's subcommands of steward-hub, for a hub that runs (pair, revoke, remove) or is stopped (admin-token --rotate).
 * They read the admin token from `<data-dir>/admin-token`, so they must be given the hub's --data-dir.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StewardError } from '@steward/device-adapters';
import { ADOPTION_COMMANDS, ADOPTION_USAGE, AdoptionUsageError, runAdoptionCommand } from './adoption/cli-commands.ts';
import { callHub, formatPairingWindow, requestMqttCredentials, requestNodeRemoval, requestPairingWindow, requestRevocation, rotateAdminTokenOffline } from './pairing/cli-commands.ts';

export const ADMIN_COMMANDS = ['pair', 'revoke', 'remove', 'mqtt-credentials', 'admin-token', ...ADOPTION_COMMANDS] as const;

export const ADMIN_USAGE = `       steward-hub pair [--window-ms MS] [--data-dir D] [--http-port P | --hub-url URL]
       steward-hub revoke NODE-ID [--data-dir D] [--http-port P | --hub-url URL]
       steward-hub remove NODE-ID [--data-dir D] [--http-port P | --hub-url URL]
       steward-hub remove --device DEVICE-ID [--data-dir D] [--http-port P | --hub-url URL]
       steward-hub mqtt-credentials NAME [--role controller|admin] [--data-dir D] [--http-port P | --hub-url URL]
       steward-hub admin-token --rotate [--data-dir D]

  pair                 opens a pairing window on the running hub and prints the one-time code and the QR payload
  revoke NODE-ID       disconnects a node, deletes its credentials, clears its retained topics (audited)
  remove NODE-ID       removes a node and its devices for good (revoked first when it still holds credentials)
  remove --device ID   removes one device; an adopted one is also forgotten by its node (out of its ecosystem)
  mqtt-credentials NAME  MQTT credentials for a controller (mosquitto_sub/pub, Home Assistant: reads homie/5/#, /set
                       of what needs no confirmation) or an admin (everything, RPC too); prints shell variables:
                       eval "$(steward-hub mqtt-credentials my-shell)"; mosquitto_sub -u "$MQTT_USER" -P "$MQTT_PASS" …
  admin-token --rotate makes a new admin token (the old one stops working), e.g. when it was lost
  --hub-url URL        the running hub's HTTP API (default http://127.0.0.1:<--http-port, 8080>)
${ADOPTION_USAGE}`;

export class AdminUsageError extends Error {}

/** Runs one subcommand; returns what to print on stdout. Errors are StewardError (hub answers) or AdminUsageError. */
export async function runAdminCommand(argv: string[]): Promise<string> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        'http-port': { type: 'string' },
        'hub-url': { type: 'string' },
        'window-ms': { type: 'string' },
        rotate: { type: 'boolean' },
        role: { type: 'string' },
        device: { type: 'boolean' },
        name: { type: 'string' },
        'name-en': { type: 'string', multiple: true },
        'name-zh': { type: 'string', multiple: true },
        area: { type: 'string' },
      },
    });
  } catch (e) {
    throw new AdminUsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  const dataDir = resolve(values['data-dir'] ?? '.data');
  const port = values['http-port'] ?? '8080';
  if (!/^\d{1,5}$/.test(port)) throw new AdminUsageError(`--http-port must be a number, got "${port}"`);
  const httpUrl = (values['hub-url'] ?? `http://127.0.0.1:${port}`).replace(/\/$/, '');

  switch (command) {
    case 'pair': {
      if (rest.length > 0) throw new AdminUsageError(`pair takes no arguments, got ${rest.join(' ')}`);
      const windowMs = values['window-ms'] === undefined ? undefined : Number(values['window-ms']);
      if (windowMs !== undefined && !Number.isInteger(windowMs)) throw new AdminUsageError('--window-ms must be a whole number of milliseconds');
      return formatPairingWindow(await requestPairingWindow({ httpUrl, dataDir, ...(windowMs ? { windowMs } : {}) }));
    }
    case 'revoke': {
      if (rest.length !== 1) throw new AdminUsageError('revoke takes one node id');
      const r = await requestRevocation({ httpUrl, dataDir, nodeId: rest[0]! });
      return `revoked ${r.nodeId}: ${r.credentialsDeleted.length} credentials deleted, ${r.sessionsClosed} sessions closed, ${r.retainedCleared.length} retained topics cleared\n`;
    }
    case 'remove': {
      if (rest.length !== 1) throw new AdminUsageError(values.device ? 'remove --device takes one device id' : 'remove takes one node id');
      if (values.device) {
        const r = await callHub<{ deviceId: string; nodeId: string }>(httpUrl, dataDir, 'DELETE', `/api/devices/${encodeURIComponent(rest[0]!)}`);
        return `removed device ${r.deviceId} of node ${r.nodeId}\n`;
      }
      const r = await requestNodeRemoval({ httpUrl, dataDir, nodeId: rest[0]! });
      const revoked = r.revoked ? `revoked first (${r.revoked.sessionsClosed} sessions closed), ` : '';
      const forgot = r.forgotten.length ? `; the node took ${r.forgotten.join(', ')} out of their ecosystem first` : '';
      const left = r.notForgotten.length ? `; left in their ecosystem (node offline or no answer): ${r.notForgotten.join(', ')}` : '';
      return `removed ${r.nodeId}: ${revoked}${r.devicesRemoved.length} devices removed${r.devicesRemoved.length ? ` (${r.devicesRemoved.join(', ')})` : ''}${forgot}${left}\n`;
    }
    case 'mqtt-credentials': {
      if (rest.length !== 1) throw new AdminUsageError('mqtt-credentials takes one user name');
      const role = values.role ?? 'controller';
      if (role !== 'controller' && role !== 'admin') throw new AdminUsageError(`--role is controller or admin, got ${role}`);
      const c = await requestMqttCredentials({ httpUrl, dataDir, username: rest[0]!, role });
      // shell variables (the password is base64url: no quoting needed); shown once, the hub keeps only its hash
      return `MQTT_USER=${c.username}\nMQTT_PASS=${c.password}\n`;
    }
    case 'admin-token': {
      if (!values.rotate) throw new AdminUsageError('admin-token needs --rotate (the current token is in <data-dir>/admin-token)');
      const { token, file } = rotateAdminTokenOffline(dataDir);
      return `New admin token (the old one no longer works; also in ${file}, mode 0600):\n  ${token}\n`;
    }
    default:
      if ((ADOPTION_COMMANDS as readonly string[]).includes(command ?? '')) {
        try {
          return await runAdoptionCommand(command!, rest, { name: values.name, area: values.area, names: { en: values['name-en'], zh: values['name-zh'] } }, (method, path, body) => callHub(httpUrl, dataDir, method, path, body));
        } catch (e) {
          if (e instanceof AdoptionUsageError) throw new AdminUsageError(e.message);
          throw e;
        }
      }
      throw new StewardError('BAD_REQUEST', `unknown command ${command}`);
  }
}
