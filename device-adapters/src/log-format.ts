/**
 * How the hub and the agents write their logs (pino, one JSON object a line): `pretty` on a terminal, `json`
 * everywhere else (journald, files, pipes), so machines get JSON and people get lines they can read.
 * STEWARD_LOG_FORMAT=pretty|json overrides the choice.
 */
export type LogFormat = 'pretty' | 'json';

export function chooseLogFormat(opts: { isTTY: boolean; env?: string | undefined }): LogFormat {
  if (opts.env === 'pretty' || opts.env === 'json') return opts.env;
  return opts.isTTY ? 'pretty' : 'json';
}

/** the format for logs on stderr (where both hub and agents log; stdout carries the programs' own lines) */
export function stderrLogFormat(): LogFormat {
  return chooseLogFormat({ isTTY: process.stderr.isTTY === true, env: process.env.STEWARD_LOG_FORMAT });
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLORS: Record<number, string> = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' };
/** pino's own fields, and the ones the line shows in front */
const SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'component', 'nodeId', 'err', 'v']);

function valueText(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

/**
 * One pino JSON line as a person reads it: `14:09:32.123 INFO  [api] request method=POST url=/api/command ...`,
 * an error's stack indented below. `prefix` goes first (a demo agent's node id); a line that is not JSON is kept.
 */
export function formatLogLine(line: string, opts: { colors?: boolean; prefix?: string } = {}): string {
  const pre = opts.prefix ? `${opts.prefix} ` : '';
  let o: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `${pre}${line}`;
    o = parsed as Record<string, unknown>;
  } catch {
    return `${pre}${line}`;
  }
  const level = typeof o.level === 'number' ? o.level : 30;
  const name = (LEVEL_NAMES[level] ?? String(level)).padEnd(5);
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '';
  const tag = [o.component, o.nodeId].filter((x) => typeof x === 'string').map((x) => `[${x as string}]`).join(' ');
  const fields = Object.entries(o)
    .filter(([k]) => !SHOWN.has(k))
    .map(([k, v]) => `${k}=${valueText(v)}`)
    .join(' ');
  const err = o.err as { message?: unknown; stack?: unknown } | string | undefined;
  const levelText = opts.colors ? `\u001b[${LEVEL_COLORS[level] ?? '0'}m${name}\u001b[0m` : name;
  const head = [time, levelText, tag, typeof o.msg === 'string' ? o.msg : '', fields].filter((x) => x !== '').join(' ');
  const stack =
    typeof err === 'string'
      ? ` err=${valueText(err)}`
      : err && typeof err.stack === 'string'
        ? `\n    ${err.stack.split('\n').join('\n    ')}`
        : err && typeof err.message === 'string'
          ? ` err=${valueText(err.message)}`
          : '';
  return `${pre}${head}${stack}`;
}

/**
 * A pino destination that writes each line to `target` (a pino.destination, which copes with full pipes) as
 * `formatLogLine` shows it.
 */
export function prettyDestination(target: { write(s: string): unknown }, opts: { colors?: boolean } = {}): { write(chunk: string): void } {
  return {
    write(chunk) {
      const out = chunk
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => formatLogLine(l, opts))
        .join('\n');
      target.write(`${out}\n`);
    },
  };
}
