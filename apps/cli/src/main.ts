import { Command, CommanderError } from 'commander';
import { agentsCommand } from './commands/agents.ts';
import { backupCommands } from './commands/backup.ts';
import { chatsCommand } from './commands/chats.ts';
import { inboxCommand } from './commands/inbox.ts';
import { pendingCommand } from './commands/pending.ts';
import { serviceCommand } from './commands/service.ts';
import { BOOCODE_VERSION } from '@boocode/protocol';
import { findServer } from './connection.ts';
import { CliError, EXIT } from './errors.ts';
import { defaultContext, type Context } from './output.ts';

/**
 * The `boocode` command line. Each subcommand talks to the running server; backup and restore
 * reach the database itself; install-service only writes files.
 */
export function buildProgram(ctx: Context): Command {
  const program = new Command('boocode')
    .description(
      'boocode from a shell. Finds the running server through $BOOCODE_HOME (default ~/.boocode) or BOOCODE_URL and BOOCODE_TOKEN.\nExit codes: 0 ok, 1 failure, 2 usage error, 3 cannot reach boocode or not allowed in.',
    )
    .version(BOOCODE_VERSION, '-V, --version', "print boocode's version")
    .configureOutput({ writeOut: (t) => ctx.out(t), writeErr: (t) => ctx.err(t) })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  chatsCommand(program, ctx);
  pendingCommand(program, ctx);
  agentsCommand(program, ctx);
  inboxCommand(program, ctx);
  backupCommands(program, ctx);
  serviceCommand(program, ctx);
  program
    .command('url')
    .description(
      'print the address to open in a browser, with the token (a service started by systemd does not print it in its log)',
    )
    .action(async () => {
      const { base, token } = await findServer();
      ctx.out(`${base.origin}/?token=${encodeURIComponent(token)}\n`);
    });
  program
    .command('mcp')
    .description("serve boocode's tools to another agent over stdio (the Model Context Protocol)")
    .action(async () => {
      const { serveMcp } = await import('./mcp-server.ts');
      await serveMcp(ctx.api);
    });
  // Every subcommand exits through the program's handler, with the same codes.
  const override = (c: Command) => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Runs the program on `argv` and answers the exit code. */
export async function run(argv: string[], ctx: Context = defaultContext()): Promise<number> {
  try {
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      const shown = ['commander.helpDisplayed', 'commander.version'].includes(err.code);
      return shown ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      ctx.err(`boocode: ${err.message}\n`);
      return err.exitCode;
    }
    ctx.err(`boocode: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.failure;
  }
}

process.exitCode = await run(process.argv.slice(2));
