export * from './broker-api.js';
export * from './problem.js';
export * from './provider-catalogue.js';
export * from './ipc.js';
export * from './desktop.js';
