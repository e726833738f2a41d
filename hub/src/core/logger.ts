import { pino, type Logger } from 'pino';
import { prettyDestination, stderrLogFormat } from '@steward/device-adapters';

/**
 * The hub's logs on stderr (stdout carries the banner): readable lines on a terminal, JSON otherwise (journald,
 * files, pipes); STEWARD_LOG_FORMAT=pretty|json overrides.
 */
export function createHubLogger(level: string): Logger {
  const dest = pino.destination(2);
  return pino({ level }, stderrLogFormat() === 'pretty' ? prettyDestination(dest, { colors: true }) : dest);
}
