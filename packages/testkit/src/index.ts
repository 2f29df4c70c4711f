export * from './model-server.ts';
export * from './ports.ts';
export * from './test-db.ts';
