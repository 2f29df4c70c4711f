/** `boocode backup` and `boocode restore`, loaded only when one of them runs. */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { codeSchemaVersion, databaseSchemaVersion, dumpDatabase, loadDump } from '@boocode/db';
import { BOOCODE_VERSION, BackupManifest } from '@boocode/protocol';
import * as tar from 'tar';
import { openDatabase, serverRunning, whereFrom, messageOf } from './database.ts';
import { copyFiles, homeFiles, removeHomeFiles } from './home-files.ts';
import { CliError } from '../errors.ts';
import type { Context } from '../output.ts';

const MANIFEST = 'boocode-backup.json';

/** A private scratch folder, removed after `work` whatever happens. */
async function withStage<T>(work: (stage: string) => Promise<T>): Promise<T> {
  const stage = await mkdtemp(path.join(os.tmpdir(), 'boocode-backup-'));
  try {
    return await work(stage);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

export async function backup(ctx: Context, file: string): Promise<void> {
  const out = path.resolve(file);
  if (existsSync(out)) throw new CliError(`${out} exists: remove it or name another file`);
  const w = whereFrom(process.env);
  const db = await openDatabase(w, { create: false });
  const made = await withStage(async (stage) => {
    await mkdir(path.join(stage, 'db'));
    let dump;
    try {
      dump = await dumpDatabase(db.sql, path.join(stage, 'db'));
    } finally {
      await db.close();
    }
    const files = await homeFiles(w.home);
    await copyFiles(w.home, path.join(stage, 'home'), files);
    const manifest: BackupManifest = {
      format: 1,
      boocodeVersion: BOOCODE_VERSION,
      createdAt: new Date().toISOString(),
      ...dump,
      files,
    };
    await writeFile(path.join(stage, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const tmp = `${out}.partial-${process.pid}`;
    const entries = [MANIFEST, 'db', ...(files.length ? ['home'] : [])];
    await tar.c({ gzip: true, file: tmp, cwd: stage, portable: true }, entries);
    await chmod(tmp, 0o600); // it holds every chat: yours alone
    await rename(tmp, out);
    return manifest;
  });
  const rows = made.tables.reduce((n, t) => n + t.rows, 0);
  ctx.out(
    `Wrote ${out}: ${db.label} (schema ${made.schemaVersion}, ${made.tables.length} tables, ${rows} rows) and ${made.files.length} files of ${w.home}.\n` +
      'It holds your chats and settings (not the token): keep it private.\n',
  );
}

export async function restore(ctx: Context, file: string, force: boolean): Promise<void> {
  const from = path.resolve(file);
  if (!existsSync(from)) throw new CliError(`${from} does not exist`);
  const w = whereFrom(process.env);
  await withStage(async (stage) => {
    const manifest = await unpack(from, stage);
    const code = await codeSchemaVersion();
    if (manifest.schemaVersion > code) {
      throw new CliError(
        `the backup's schema is at version ${manifest.schemaVersion}, newer than this boocode's (${code}): restore it with boocode ${manifest.boocodeVersion} or newer`,
      );
    }
    const running = await serverRunning(w.home);
    if (running) {
      throw new CliError(`boocode is running (${running}): stop it, then restore`);
    }
    const present = await homeFiles(w.home);
    if (present.length && !force) {
      throw new CliError(
        `${w.home} already has settings (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}): restore into an empty home, or add --force to replace them`,
      );
    }
    await mkdir(w.home, { recursive: true, mode: 0o700 });
    const db = await openDatabase(w, { create: true });
    try {
      if (db.wasRunning) {
        throw new CliError(`${db.label} is running: stop boocode, then restore`);
      }
      if ((await databaseSchemaVersion(db.sql)) !== 0) {
        if (!force) {
          throw new CliError(
            `${db.label} already holds boocode data: restore into an empty one, or add --force to replace it`,
          );
        }
        await db.sql.unsafe('drop schema public cascade; create schema public');
      }
      await loadDump(db.sql, path.join(stage, 'db'), manifest).catch((err: unknown) => {
        throw new CliError(`could not restore the database: ${messageOf(err)}`);
      });
    } finally {
      await db.close();
    }
    if (force) await removeHomeFiles(w.home);
    await copyFiles(path.join(stage, 'home'), w.home, manifest.files);
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    ctx.out(
      `Restored ${from} (boocode ${manifest.boocodeVersion}, ${manifest.createdAt}): ${rows} rows into ${db.label}, ${manifest.files.length} files into ${w.home}.\n` +
        'Start boocode; without a token in the home it makes a new one: sign in with it.\n',
    );
  });
}

/** Unpacks an archive into `stage` and answers its manifest; anything else is refused. */
async function unpack(file: string, stage: string): Promise<BackupManifest> {
  try {
    await tar.x({ file, cwd: stage, strict: true });
  } catch (err) {
    throw new CliError(`${file} is not a boocode backup (not a tar.gz: ${messageOf(err)})`);
  }
  const text = await readFile(path.join(stage, MANIFEST), 'utf8').catch(() => null);
  let json: unknown = null;
  try {
    json = text === null ? null : JSON.parse(text);
  } catch {
    // reported below
  }
  const parsed = BackupManifest.safeParse(json);
  if (!parsed.success) throw new CliError(`${file} is not a boocode backup (no valid ${MANIFEST})`);
  for (const t of parsed.data.tables) {
    if (!existsSync(path.join(stage, 'db', `${t.name}.copy`))) {
      throw new CliError(`${file} is incomplete: the data of ${t.name} is missing`);
    }
  }
  return parsed.data;
}
