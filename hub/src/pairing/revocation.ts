// moved to the security side (auth/): revocation is about credentials, not pairing
export { revokeNode, type RevocationDeps, type RevocationReport } from '../auth/revocation.ts';
