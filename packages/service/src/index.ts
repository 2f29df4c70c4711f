export { authPlugin, COOKIE, PUBLIC_API, type AuthOptions } from './auth-plugin.ts';
export { loadOrCreateToken, tokensEqual } from './token.ts';
export { registerErrorHandler, type ErrorHandlerOptions } from './error-handler.ts';
export * from './config.ts';
