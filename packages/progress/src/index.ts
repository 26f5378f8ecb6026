// `@headway/progress`: the whole model, for the API and the worker. A browser or the terminal
// client imports `@headway/progress/client` instead.

export * from './artifacts/artifact-store.ts';
export * from './artifacts/create-artifact-store.ts';
export * from './artifacts/local-artifact-store.ts';
export * from './artifacts/s3-artifact-store.ts';
export * from './client/index.ts';
export * from './eta/band-calibration.ts';
export * from './eta/eta-error.ts';
export * from './eta/eta-estimator.ts';
export * from './eta/job-history.ts';
export * from './eta/percentage.ts';
export * from './eta/stage-band.ts';
export * from './eta/weighted-quantile.ts';
export * from './pipelines/headway-config.ts';
export * from './pipelines/literature-review.ts';
export * from './pipelines/pipeline-definition.ts';
export * from './pipelines/validate-input.ts';
export * from './pipelines/webhook-config.ts';
export * from './redis/cancel-requests.ts';
export * from './redis/event-stream.ts';
export * from './redis/idempotency-key.ts';
export * from './redis/job-label.ts';
export * from './redis/lease.ts';
export * from './redis/redis-connection.ts';
export * from './redis/redis-keys.ts';
export * from './redis/stream-codec.ts';
export * from './redis/webhook-outbox.ts';
export * from './server/path-inside.ts';
export * from './server/server-log.ts';
export * from './server/settings.ts';
export * from './server/webhook-signature.ts';
export * from './tracker/artifact-publisher.ts';
export * from './tracker/command-protocol.ts';
export * from './tracker/progress-tracker.ts';
