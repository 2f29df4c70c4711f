export * from './errors.ts';
export * from './chat.ts';
export * from './ws.ts';
export * from './apply.ts';
export { unreachable } from './unreachable.ts';
