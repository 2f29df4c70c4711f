import type { Command } from 'commander';
import type { Context } from '../output.ts';
import type { InstallOptions } from '../service/install.ts';

const collect = (v: string, all: string[] = []) => [...all, v];

export function serviceCommand(program: Command, ctx: Context): void {
  program
    .command('install-service')
    .description(
      'print (or --write) a systemd unit that runs boocode from this clone, with its environment file',
    )
    .option('--user', 'a user unit, in ~/.config/systemd/user (the default)')
    .option('--system', 'a system unit, in /etc/systemd/system, running as --run-as')
    .option('--run-as <user>', 'the user a system unit runs as (default: $SUDO_USER, else you)')
    .option('--write', 'write the unit, and the environment file if there is none')
    .option('--force', 'with --write: replace a unit already there')
    .option('--unit-dir <dir>', 'write the unit into this folder instead')
    .option('--home <dir>', "boocode's home (default: $BOOCODE_HOME, else ~/.boocode)")
    .option('--env-file <file>', 'the EnvironmentFile (default: <home>/boocode.env)')
    .option('--node <path>', 'the node binary to run (default: this one)')
    .option('--writable <dir>', 'another folder it may write, e.g. a project (repeatable)', collect)
    .option('--no-sandbox', 'leave out the sandboxing (for sudo in terminals, writes anywhere)')
    .action(async (opts: InstallOptions) =>
      (await import('../service/install.ts')).installService(ctx, opts),
    );
}
