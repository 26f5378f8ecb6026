// `@headway/progress/client`: what a browser or the terminal client may import from the model.
// The model's shapes and folds, and the sockets: no Redis, no BullMQ, no Node module
// (tests/unit/import-boundaries.test.ts walks this file's imports and fails on any).
export * from '../model/index.ts';
export * from './progress-socket.ts';
export * from './reconnecting-socket.ts';
