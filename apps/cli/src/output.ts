import { Option } from 'commander';
import type { Api } from './client.ts';
import { findServer } from './connection.ts';

/** What each command gets: the API once the server is found, and where output goes. */
export interface Context {
  api(): Promise<Api>;
  out(text: string): void;
  err(text: string): void;
}

export const jsonOption = () => new Option('--json', 'print JSON (for scripts)');

/** `--json`: the value as one JSON document; else the lines for a person. */
export function show(
  ctx: Context,
  json: boolean | undefined,
  value: unknown,
  lines: () => string[],
) {
  if (json) return ctx.out(`${JSON.stringify(value, null, 2)}\n`);
  const text = lines();
  if (text.length) ctx.out(`${text.join('\n')}\n`);
}

/** A table of aligned columns, no borders. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) =>
    row
      .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

export function defaultContext(): Context {
  let api: Promise<Api> | null = null;
  return {
    api: () =>
      (api ??= findServer().then(async (conn) => new (await import('./client.ts')).Api(conn))),
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
  };
}
