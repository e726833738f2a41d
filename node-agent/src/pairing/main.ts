/**
 * Stand-alone entry for `pair` and `start --data-dir` until the agent's cli.ts dispatches to runPairingCommand:
 * `node --import tsx node-agent/src/pairing/main.ts pair --code CODE --data-dir D --interface IF`.
 */
import { runPairingCommand } from './cli.ts';

try {
  process.exitCode = await runPairingCommand(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`steward-agent: ${(e as Error).message}\n`);
  process.exitCode = (e as { code?: string }).code === 'BAD_REQUEST' ? 2 : 1;
}
// the agent's sockets are closed by then; anything left (a stray timer) must not keep a finished command alive
process.exit();
