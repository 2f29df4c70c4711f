import { z } from 'zod';

/** A table's data in a backup: `db/<name>.copy`, PostgreSQL's COPY text format, these columns. */
export const BackupTable = z.object({
  name: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a table name of the schema'),
  columns: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1),
  rows: z.number().int().nonnegative(),
});
export type BackupTable = z.infer<typeof BackupTable>;

/**
 * `boocode-backup.json`, the first entry of an archive `boocode backup` writes. The database is
 * a data dump keyed to the schema version (the schema itself is the migrations'); `files` are
 * the paths under `home/` (relative to `$BOOCODE_HOME`).
 */
export const BackupManifest = z.object({
  format: z.literal(1),
  boocodeVersion: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  tables: z.array(BackupTable),
  files: z.array(z.string().min(1)),
});
export type BackupManifest = z.infer<typeof BackupManifest>;
