// One error type with a code, turned into `{ error: { code, message, details? } }` at the API edge.
// The codes are one schema: routes declare ErrorBody as their error responses (OpenAPI lists it),
// and clients compare against ErrorCode, so a misspelt code fails the typecheck.
import { type Static, Type as t } from '@sinclair/typebox';

export const ErrorCode = t.Union(
  [
    t.Literal('VALIDATION'),
    t.Literal('BAD_REQUEST'),
    t.Literal('NOT_FOUND'),
    t.Literal('UNKNOWN_PIPELINE'),
    t.Literal('JOB_NOT_FOUND'),
    t.Literal('CONFLICT'),
    t.Literal('UNAUTHORIZED'),
    t.Literal('FORBIDDEN'),
    t.Literal('PAYLOAD_TOO_LARGE'),
    t.Literal('MISDIRECTED'),
    t.Literal('TOO_MANY_REQUESTS'),
    t.Literal('UNSUPPORTED_MEDIA_TYPE'),
    t.Literal('UNAVAILABLE'),
    t.Literal('INTERNAL'),
  ],
  { description: 'What went wrong, for programs; the message says it for people' },
);
export type ErrorCode = Static<typeof ErrorCode>;

export const ErrorBody = t.Object(
  {
    error: t.Object({
      code: ErrorCode,
      message: t.String({ description: 'Names what was refused and why' }),
      details: t.Optional(t.Unknown({ description: 'For VALIDATION, each problem as { path, message }' })),
    }),
  },
  { description: 'An error' },
);
export type ErrorBody = Static<typeof ErrorBody>;

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
