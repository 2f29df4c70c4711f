export * from './languages.ts';
export * from './parser.ts';
export * from './extract.ts';
