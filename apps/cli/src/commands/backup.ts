import type { Command } from 'commander';
import type { Context } from '../output.ts';

export function backupCommands(program: Command, ctx: Context): void {
  program
    .command('backup')
    .description(
      "write the database and $BOOCODE_HOME's settings into one archive (tar.gz); works while boocode runs",
    )
    .argument('<file>', 'the archive to write (must not exist)')
    .action(async (file: string) => (await import('../backup/run.ts')).backup(ctx, file));
  program
    .command('restore')
    .description(
      'put a backup back into an empty $BOOCODE_HOME and database; boocode must be stopped',
    )
    .argument('<file>', 'an archive `boocode backup` wrote')
    .option('--force', 'replace the settings and the boocode data already there')
    .action(async (file: string, opts: { force?: boolean }) =>
      (await import('../backup/run.ts')).restore(ctx, file, opts.force ?? false),
    );
}
