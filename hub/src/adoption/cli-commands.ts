/**
 * `steward-hub adoptions [list]`, `adopt ID --name N --area A`, `ignore ID`, `commission NODE CODE`: the adoption
 * endpoints from the command line. `call` is the admin CLI's authenticated request to the running hub.
 */
import type { AdoptionView } from './schemas.ts';

export const ADOPTION_COMMANDS = ['adoptions', 'adopt', 'ignore', 'commission'] as const;

export const ADOPTION_USAGE = `       steward-hub adoptions [list] [--data-dir D] [--http-port P | --hub-url URL]
       steward-hub adopt ID --name NAME --area AREA [--name-en NAME]... [--name-zh 名字]... [--data-dir D] [--http-port P | --hub-url URL]
       steward-hub ignore ID [--data-dir D] [--http-port P | --hub-url URL]
       steward-hub commission NODE-ID SETUP-CODE [--data-dir D] [--http-port P | --hub-url URL]

  adoptions            lists the devices nodes found after pairing, waiting to be adopted or ignored
  adopt ID             adopts one with a name and an area (an area id or name); a lock keeps its unlock confirmation;
                       --name-en / --name-zh add more names in English / Chinese (repeatable)
  ignore ID            ignores one: not listed again unless its node finds it anew
  commission NODE CODE asks NODE to commission a device from its setup code (11/21 digits, or an MT: payload)`;

export type HubCall = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export class AdoptionUsageError extends Error {}

/** one found device on one line: its label is quoted as data (JSON string), never printed raw */
function line(a: AdoptionView): string {
  const names = Object.values(a.suggestedNames).flat().slice(0, 2).join(' / ');
  return `${a.id}  ${a.nodeId}  ${a.ecosystem}:${a.key}  ${a.type}  ${JSON.stringify(a.label)}  suggested: ${names}`;
}

export async function runAdoptionCommand(command: string, args: string[], opts: { name?: string | undefined; area?: string | undefined; names?: Record<string, string[] | undefined> }, call: HubCall): Promise<string> {
  switch (command) {
    case 'adoptions': {
      if (args.length > 1 || (args[0] !== undefined && args[0] !== 'list')) throw new AdoptionUsageError('adoptions takes no arguments but list');
      const { adoptions } = await call<{ adoptions: AdoptionView[] }>('GET', '/api/adoptions');
      if (adoptions.length === 0) return 'No devices waiting for adoption.\n';
      return `${adoptions.length} waiting for adoption:\n${adoptions.map((a) => `  ${line(a)}`).join('\n')}\n`;
    }
    case 'adopt': {
      if (args.length !== 1) throw new AdoptionUsageError('adopt takes one adoption id');
      if (!opts.name || !opts.area) throw new AdoptionUsageError('adopt needs --name NAME and --area AREA');
      const names = Object.fromEntries(Object.entries(opts.names ?? {}).filter((e): e is [string, string[]] => (e[1]?.length ?? 0) > 0));
      const body = { name: opts.name, area: opts.area, ...(Object.keys(names).length > 0 ? { names } : {}) };
      const { device } = await call<{ device: { id: string; area: string; confirm: string[] } }>('POST', `/api/adoptions/${encodeURIComponent(args[0]!)}`, body);
      const confirm = device.confirm.length > 0 ? `; needs the owner's confirmation to ${device.confirm.join(', ')}` : '';
      return `adopted ${args[0]} as ${device.id} in ${device.area}${confirm}\n`;
    }
    case 'ignore': {
      if (args.length !== 1) throw new AdoptionUsageError('ignore takes one adoption id');
      await call('DELETE', `/api/adoptions/${encodeURIComponent(args[0]!)}`);
      return `ignored ${args[0]}\n`;
    }
    case 'commission': {
      if (args.length !== 2) throw new AdoptionUsageError('commission takes a node id and a setup code');
      const { found } = await call<{ found: AdoptionView[] }>('POST', `/api/nodes/${encodeURIComponent(args[0]!)}/commission`, { setupCode: args[1] });
      return `commissioned on ${args[0]}: ${found.length} found\n${found.map((a) => `  ${line(a)}`).join('\n')}${found.length ? '\n' : ''}`;
    }
    default:
      throw new AdoptionUsageError(`unknown command ${command}`);
  }
}
