// WebSocket close codes of Headway's sockets. 44xx mean "do not reconnect": the request itself is wrong.

export const CLOSE_BAD_REQUEST = 4400;
export const CLOSE_UNAUTHORIZED = 4401;
/** The token is known, but its role (or share link) does not reach this socket. */
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_UNKNOWN_JOB = 4404;

export const isTerminalCloseCode = (code: number): boolean => code >= 4400 && code <= 4499;
