// What a job id may be, checked the same way wherever one arrives.

/**
 * Job ids are BullMQ ids: short, free of the characters that would break a hash tag (`{`, `}`)
 * or name another folder (`/`, `\`, `..`): a worker keeps a job's files in a folder named after
 * its id. Starting with a letter or digit rules out `.` and `..` themselves.
 */
export const JOB_ID_PATTERN = '^(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';
/** The rule JOB_ID_PATTERN states, for messages. */
export const JOB_ID_RULE = 'a job id is 1 to 64 letters, digits, "_", "." or "-", starting with a letter or digit, without ".."';
const jobIdRe = new RegExp(JOB_ID_PATTERN);
/** The one check of a job id, wherever one arrives (routes, Bull Board, the worker, the CLI). */
export const isJobId = (id: unknown): boolean => typeof id === 'string' && jobIdRe.test(id);
