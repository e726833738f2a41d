// moved to auth/: the demo's per-node credentials are the security feature's
export { provisionNodeCredentials, writeNodeCredentialsFile, type NodeCredentialsFile, type ProvisionedNodes } from '../auth/node-credentials.ts';
