import { config } from '@matter/nodejs/config';

/**
 * matter.js is a library in the node agent's process, not the process itself: it must not read the agent's argv
 * (`--log-level info` would become its own log level), its environment or a `config.json` in the working folder,
 * nor take over SIGINT/SIGTERM, unhandled errors or the exit code. These flags are read when @matter/main is first
 * imported, so this module is imported before it (index.ts).
 */
try {
  config.loadProcessArgv = false;
  config.loadProcessEnv = false;
  config.loadConfigFile = false;
  config.trapProcessSignals = false;
  config.trapUnhandledErrors = false;
  config.setProcessExitCodeOnError = false;
} catch {
  // matter.js was already set up by the host process (it imported @matter/main first): its choices stand
}
