// The process tree from /proc, in plain JavaScript so that `node scripts/bench-footprint.mjs` (no TypeScript loader)
// and the tests share it; its types are in process-tree.d.mts.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * every process below `pid` (children of all its threads, recursively), from /proc
 * @param {number} pid
 * @returns {number[]}
 */
export function descendants(pid) {
  let tasks = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((t) => {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8');
    } catch {
      // the thread ended meanwhile
    }
    return children.split(/\s+/).filter(Boolean).map(Number).flatMap((c) => [c, ...descendants(c)]);
  });
}
