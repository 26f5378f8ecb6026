// One error type with a code, turned into `{ error: { code, message, details? } }` at the API edge.

export type ErrorCode =
  | 'VALIDATION'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'UNKNOWN_PIPELINE'
  | 'JOB_NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'MISDIRECTED'
  | 'TOO_MANY_REQUESTS'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export class HeadwayError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly options: { cause?: unknown; details?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'HeadwayError';
  }

  toBody(): ErrorBody {
    const details = this.options.details;
    return { error: { code: this.code, message: this.message, ...(details !== undefined && { details }) } };
  }
}
