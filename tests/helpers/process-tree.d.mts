/** every process below `pid` (children of all its threads, recursively), from /proc */
export function descendants(pid: number): number[];
