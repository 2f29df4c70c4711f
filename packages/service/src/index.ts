export { authPlugin, COOKIE, gateSettings, PUBLIC_API, type AuthOptions } from './auth-plugin.ts';
export { followToken, loadOrCreateToken, rotateToken, tokensEqual } from './token.ts';
export { openSession, sessionChecker } from './sessions.ts';
export {
  databaseUnavailable,
  isDatabaseDown,
  registerErrorHandler,
  type ErrorHandlerOptions,
} from './error-handler.ts';
export * from './config.ts';
export { createServiceApp, type ServiceApp, type ServiceAppOptions } from './service-app.ts';
export {
  runService,
  type ListenTarget,
  type RunServiceOptions,
  type StartedService,
} from './run-service.ts';
export {
  backendAuth,
  backendConfig,
  backendEnv,
  backendListen,
  connectBackend,
  type BackendConfig,
} from './backend.ts';
