export * from './languages.ts';
export * from './parser.ts';
export * from './extract.ts';
export * from './scan.ts';
export * from './indexer.ts';
export * from './graph-query.ts';
export * from './call-graph.ts';
export { SOURCE_WORKER } from './parse-pool.ts';
