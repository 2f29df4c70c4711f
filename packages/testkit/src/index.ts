export * from './model-server.ts';
export * from './ports.ts';
export * from './test-db.ts';
export * from './server-process.ts';
export * from './chromium.ts';
export * from './git-repo.ts';
export * from './mcp-scripts.ts';
export * from './sshd.ts';
