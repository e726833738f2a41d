import { fileURLToPath } from 'node:url';

/**
 * The built dashboard (`npm run build` writes it: index.html and hashed assets/), which the hub's dashboard feature
 * serves at `/`. Reached through this package's public entry, never by a path into its folder.
 */
export const DASHBOARD_DIST = fileURLToPath(new URL('./dist/', import.meta.url));
