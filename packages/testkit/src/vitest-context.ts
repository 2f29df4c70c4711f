/** What the global setup provides to tests: `inject('pgUrl')`. */
declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export {};
