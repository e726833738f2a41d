import { pino, type Logger } from 'pino';
import { prettyDestination, stderrLogFormat } from '@steward/device-adapters';

export type { Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The level from a flag, else STEWARD_LOG_LEVEL or LOG_LEVEL, else info. */
export function logLevel(flag?: string): string {
  const level = flag ?? process.env.STEWARD_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'info';
  if (!LEVELS.includes(level)) throw new Error(`log level must be one of ${LEVELS.join(', ')}, got ${level}`);
  return level;
}

/**
 * Logs on stderr (stdout carries the CLI's own lines): readable lines on a terminal, JSON otherwise
 * (STEWARD_LOG_FORMAT=pretty|json overrides). Synchronous writes, so the last words of an agent that is killed are
 * not lost in a buffer.
 */
export function createLogger(opts: { level?: string; nodeId?: string } = {}): Logger {
  const dest = pino.destination({ dest: 2, sync: true });
  return pino(
    { level: logLevel(opts.level), base: opts.nodeId ? { nodeId: opts.nodeId } : {} },
    stderrLogFormat() === 'pretty' ? prettyDestination(dest, { colors: true }) : dest,
  );
}
