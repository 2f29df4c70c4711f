/** Stable codes for every refusal the path guard and the file tools give back to a model. */
export type ToolErrorCode =
  | 'bad_path'
  | 'outside_root'
  | 'unknown_root'
  | 'symlink_loop'
  | 'not_a_directory'
  | 'denied'
  | 'not_found'
  | 'not_a_file'
  | 'binary_file'
  | 'bad_args'
  | 'tool_unavailable'
  | 'conflict'
  | 'io_error';

/** A refusal meant to be shown to a model: tools return it instead of throwing. */
export type ToolError = { ok: false; code: ToolErrorCode; message: string };

/** Builds a {@link ToolError}. */
export function toolError(code: ToolErrorCode, message: string): ToolError {
  return { ok: false, code, message };
}

/** The `code` of a Node.js system error, or undefined for anything else. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}
