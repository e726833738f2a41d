// moved to net/: the security feature picks its LAN address with it too
export { ipv4Of, loopbackInterface } from '../net/interfaces.ts';
