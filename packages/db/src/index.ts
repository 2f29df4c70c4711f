export * from './sql.ts';
export * from './migrate.ts';
export * from './embedded.ts';
export * from './chats.ts';
export * from './messages.ts';
export * from './projects.ts';
