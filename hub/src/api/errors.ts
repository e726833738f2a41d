// shared by every feature's routes: moved to hub/src/http
export { HTTP_STATUS, parseOrThrow, sendError } from '../http/errors.ts';
