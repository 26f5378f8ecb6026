// Everything here is plain data and pure functions: safe in a browser, the terminal, the API and
// the worker alike. A module in model/ imports only model/ and browser-safe packages.
export * from './artifact-name.ts';
export * from './artifact-requests.ts';
export * from './cancelled-reason.ts';
export * from './close-codes.ts';
export * from './errors.ts';
export * from './event-requests.ts';
export * from './events.ts';
export * from './format.ts';
export * from './format-bytes.ts';
export * from './input-fields.ts';
export * from './job-id.ts';
export * from './job-list-messages.ts';
export * from './job-list-view.ts';
export * from './job-requests.ts';
export * from './job-state.ts';
export * from './job-summary.ts';
export * from './job-watch.ts';
export * from './log-filter.ts';
export * from './log-query.ts';
export * from './log-text.ts';
export * from './messages.ts';
export * from './pipeline-history.ts';
export * from './pipeline-spec.ts';
export * from './session-requests.ts';
export * from './slow-stage.ts';
