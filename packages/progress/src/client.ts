// `@headway/progress/client`: what a browser or the terminal client may import from the model.
// Shapes, the folds of server messages, wording, the log filter, the sockets: no Redis, no BullMQ,
// no Node module (client-entry.test.ts walks this file's imports and fails on any).
export * from './artifact-name.ts';
export * from './artifact-requests.ts';
export * from './cancelled-reason.ts';
export * from './close-codes.ts';
export * from './errors.ts';
export * from './event-requests.ts';
export * from './events.ts';
export * from './format.ts';
export * from './input-fields.ts';
export * from './job-list-messages.ts';
export * from './job-list-view.ts';
export * from './job-requests.ts';
export * from './job-state.ts';
export * from './job-summary.ts';
export * from './job-watch.ts';
export * from './log-filter.ts';
export * from './messages.ts';
export * from './pipeline-spec.ts';
export * from './pipelines/literature-review.ts';
export * from './progress-socket.ts';
export * from './reconnecting-socket.ts';
export * from './session-requests.ts';
export { isJobId, JOB_ID_PATTERN, JOB_ID_RULE } from './redis-keys.ts';
