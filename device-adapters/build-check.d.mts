/** why the build is stale, or undefined when every package's dist/ is current (see build-check.mjs) */
export function staleBuild(only?: readonly string[]): string | undefined;
/** rebuilds a stale build, or exits with the command to run */
export function ensureBuilt(name: string, only?: readonly string[]): void;
