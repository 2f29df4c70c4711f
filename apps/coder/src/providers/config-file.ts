import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { AppError, ProvidersFile } from '@boocode/protocol';
import { defaultFile, mergeEntries, type MergeOptions, type ProviderEntry } from './defaults.ts';
import { pathLine, syntaxErrorLine } from './json-lines.ts';

/** The providers in use, and why the file was not used (the defaults are then). */
export interface ProvidersReading {
  entries: ProviderEntry[];
  error: string | null;
}

type Parsed =
  { ok: true; file: ProvidersFile; entries: ProviderEntry[] } | { ok: false; error: string };

/** Checks a file's text: JSON, the ProvidersFile schema, a command for each added entry. */
export function parseProvidersText(file: string, text: string, opts: MergeOptions = {}): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const why = (err as Error).message.replace(/ in JSON at position \d+.*$/, '');
    return { ok: false, error: `${file} line ${syntaxErrorLine(text)}: not valid JSON (${why})` };
  }
  const parsed = ProvidersFile.safeParse(json);
  if (!parsed.success) return { ok: false, error: issueAt(file, text, parsed.error) };
  const merged = mergeEntries(parsed.data.providers, opts);
  if (!merged.ok) {
    const line = pathLine(text, ['providers', merged.id]);
    return {
      ok: false,
      error: `${file} line ${line}: providers.${merged.id}: a provider that is not built in needs a "command"`,
    };
  }
  return { ok: true, file: parsed.data, entries: merged.entries };
}

function issueAt(file: string, text: string, error: z.ZodError): string {
  const issue = error.issues[0]!;
  const at = [...issue.path];
  if (issue.code === 'unrecognized_keys' && issue.keys[0]) at.push(issue.keys[0]);
  const where = at.length ? `${at.map(String).join('.')}: ` : '';
  const message = issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message;
  return `${file} line ${pathLine(text, at)}: ${where}${message}`;
}

/** Reads coder-providers.json; a missing file is the defaults. Never throws. */
export async function readProviders(
  file: string,
  opts: MergeOptions = {},
): Promise<ProvidersReading> {
  const defaults = (error: string | null): ProvidersReading => {
    const merged = mergeEntries({}, opts);
    return { entries: merged.ok ? merged.entries : [], error };
  };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return defaults(null);
    return defaults(`Cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = parseProvidersText(file, text, opts);
  return parsed.ok ? { entries: parsed.entries, error: null } : defaults(parsed.error);
}

/** Writes `text` to `file` whole or not at all (a temp file in the same folder, renamed). */
export async function writeAtomic(file: string, text: string, mode = 0o600): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    await writeFile(tmp, text, { mode });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

const pretty = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

/** Writes the defaults when there is no file yet; leaves any existing file, good or bad, alone. */
export async function ensureProvidersFile(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await readFile(file);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return;
  }
  await writeAtomic(file, pretty(defaultFile()));
}

/**
 * Sets fields of one entry, keeping everything else in the file as it was. A file that does
 * not parse is never written over: that is a 409 with its error, to be fixed by hand.
 */
export async function patchProvidersFile(
  file: string,
  id: string,
  patch: Record<string, unknown>,
): Promise<void> {
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new AppError('conflict', `Cannot read ${file}: ${(err as Error).message}`);
    }
  }
  let doc: { providers: Record<string, Record<string, unknown>> } = defaultFile();
  if (text !== null) {
    const parsed = parseProvidersText(file, text);
    if (!parsed.ok) throw new AppError('conflict', `${parsed.error}. Fix the file by hand first.`);
    doc = JSON.parse(text) as typeof doc;
    doc.providers ??= {};
  }
  doc.providers[id] = { ...doc.providers[id], ...patch };
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeAtomic(file, pretty(doc));
  } catch (err) {
    throw new AppError('internal', `Cannot write ${file}: ${(err as Error).message}`);
  }
}
