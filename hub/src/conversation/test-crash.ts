/**
 * TEST ONLY. `STEWARD_TEST_EXIT_AFTER_CONFIRM` makes the hub kill itself with SIGKILL (no cleanup, as a power cut
 * or an OOM kill would) at one exact point of a yes, so tests/confirm-crash.test.ts can check what the next start
 * makes of it:
 *
 * - `1`: right after the yes is committed to SQLite, before anything is sent to a device;
 * - `after-run`: right after the devices acknowledged, before the result is written.
 *
 * Never set it on a real hub. Unset (or any other value): the records are used as they are.
 */
import type { ConfirmationRecords } from './confirmations.ts';

export const TEST_EXIT_ENV = 'STEWARD_TEST_EXIT_AFTER_CONFIRM';

export function withTestCrash(records: ConfirmationRecords, when: string | undefined, log: (msg: string) => void): ConfirmationRecords {
  if (when !== '1' && when !== 'after-run') return records;
  const die = (point: string) => {
    log(`${TEST_EXIT_ENV}=${when}: killing the hub ${point} (test only)`);
    process.kill(process.pid, 'SIGKILL');
  };
  return {
    insert: (r) => records.insert(r),
    settle(id, status, at) {
      const changed = records.settle(id, status, at);
      if (changed && status === 'confirmed' && when === '1') die('after the yes was recorded');
      return changed;
    },
    result(id, settled) {
      if (when === 'after-run' && !settled.recovered) die('after the confirmed change ran, before its result was written');
      records.result(id, settled);
    },
    pending: () => records.pending(),
    gone: (id) => records.gone(id),
    find: (id) => records.find(id),
    unfinished: () => records.unfinished(),
  };
}
