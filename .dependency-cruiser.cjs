/**
 * The hub's folder rules (docs/architecture.md, "Folder rules"), checked by `npm test` (scripts/run-tests.mjs).
 * Every dependency from a file of hub/src must match one `allowed` rule: a folder may import only the folders
 * listed for it. Type-only imports count (tsPreCompilationDeps). Each top-level file of hub/src is its own node.
 */
const SRC = '^hub/src/';

/** folder (or top-level file) → what it may import besides itself; keep in step with docs/architecture.md */
const LAYERS = {
  core: [],
  net: ['core'],
  http: ['core'],
  tls: ['core', 'net'],
  store: ['core'],
  registry: ['core', 'store'],
  auth: ['core', 'store', 'tls', 'net', 'http'],
  broker: ['core', 'net'],
  transport: ['core', 'registry'],
  gateway: ['core', 'registry', 'transport'],
  understanding: ['core'],
  conversation: ['core', 'understanding'],
  mdns: ['core', 'net'],
  pairing: ['core', 'auth', 'store', 'tls', 'net', 'http', 'mdns'],
  api: ['core', 'http', 'registry', 'store', 'conversation'],
  demo: ['core', 'registry'],
  bench: ['core', 'net', 'understanding', 'hub.ts', 'planner'],
  // top-level files: the composition root and the entry points
  'config.ts': ['core', 'api', 'auth', 'broker', 'demo', 'pairing', 'store', 'transport'],
  'hub.ts': ['*feature', 'config.ts'],
  'cli-options.ts': ['core'],
  'admin-cli.ts': ['core', 'pairing', 'auth', 'store', 'net', 'adoption'],
  'cli.ts': ['core', 'config.ts', 'cli-options.ts', 'hub.ts', 'admin-cli.ts', 'store', 'net', 'trajectories'],
  'index.ts': ['*'],
};

/**
 * A folder not listed above (a new feature: planner/, trajectories/...) may import the shared lower layers; nothing
 * listed may import it, so it cannot close a cycle. List it in LAYERS to narrow what it may use.
 */
const NEW_FOLDER_MAY_USE = ['core', 'net', 'http', 'store', 'registry', 'transport', 'gateway', 'understanding', 'conversation'];
const FOLDERS = require('node:fs')
  .readdirSync(require('node:path').join(__dirname, 'hub/src'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
// trajectories record rule-path actions as the planner's tool calls (planner/tools.ts); the planner records through
// the recorder shapes in the core, so it never imports trajectories
LAYERS.trajectories = [...NEW_FOLDER_MAY_USE, 'planner'];
// the event stream's snapshot shows devices and nodes exactly as GET /api/devices and /api/nodes do (api/views.ts),
// and its adoption events the records of GET /api/adoptions (adoption/schemas.ts)
LAYERS.events = [...NEW_FOLDER_MAY_USE, 'api', 'adoption'];
// adoption answers with the device view GET /api/devices lists (api/views.ts)
LAYERS.adoption = [...NEW_FOLDER_MAY_USE, 'api'];
for (const f of FOLDERS) LAYERS[f] ??= NEW_FOLDER_MAY_USE;
const FEATURE_FOLDERS = FOLDERS.filter((f) => f !== 'bench');
const esc = (s) => s.replace(/[.]/g, '\\.');
const node = (name) => (name.endsWith('.ts') ? `${SRC}${esc(name)}$` : `${SRC}${name}/`);
const targets = (deps) => (deps.includes('*') ? Object.keys(LAYERS) : deps.flatMap((d) => (d === '*feature' ? FEATURE_FOLDERS : [d])));

module.exports = {
  allowed: [
    // outside the hub's folders (packages, node built-ins) and the other workspaces' rules below
    { from: { pathNot: SRC }, to: {} },
    { from: { path: SRC }, to: { pathNot: SRC } },
    ...Object.entries(LAYERS).map(([from, deps]) => ({
      from: { path: node(from) },
      to: { path: [node(from), ...targets(deps).map(node)] },
    })),
  ],
  allowedSeverity: 'error',
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a cycle between modules (and so between folders) ties them together: break it through the core',
      from: { path: SRC },
      to: { circular: true },
    },
    {
      name: 'no-dynamic-import-in-hub',
      severity: 'error',
      comment: 'a dynamic import hides a dependency from these rules: import statically',
      from: { path: SRC },
      to: { dependencyTypes: ['dynamic-import'] },
    },
    {
      name: 'no-self-import',
      severity: 'error',
      comment: 'hub/src imports its own modules by relative path: @steward/hub/... would dodge the folder rules',
      from: { path: SRC },
      to: { path: SRC, dependencyTypesNot: ['local'] },
    },
    {
      name: 'no-relative-path-into-another-package',
      severity: 'error',
      comment: "a package reaches another one by its name and public entry (declared in its package.json), never by a path into its folder",
      from: { path: '^(device-adapters|node-agent|simulators|matter-driver|hub|tests)/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], pathNot: '^$1/' },
    },
    {
      name: 'no-relative-path-into-another-package-from-scripts',
      severity: 'error',
      comment: "the same for scripts/, which may also share the tests' plain-JavaScript helpers (benchmarks measure as tests do)",
      from: { path: '^scripts/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], pathNot: ['^scripts/', '^tests/helpers/[^/]+\\.mjs$'] },
    },
    {
      name: 'no-undeclared-package',
      severity: 'error',
      comment: 'a package imports only what its package.json declares',
      from: { path: '^(device-adapters|node-agent|simulators|matter-driver|hub)/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'matter-outside-the-agent-base',
      severity: 'error',
      comment: 'the node agent loads a driver module by name at run time: matter.js stays out of its base closure',
      from: { path: '^(node-agent|device-adapters)/' },
      to: { path: '(^matter-driver/|node_modules/@matter/|node_modules/@project-chip/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    preserveSymlinks: false,
    // 'source': our packages' exports map to their TypeScript sources under it (to dist/ without), as for tsc and vitest
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['source', 'import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
