/** Ends an exhaustive switch: the compiler proves it is never reached. */
export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
