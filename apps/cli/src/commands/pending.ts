import type { Command } from 'commander';
import {
  ApplyResult,
  CheckpointList,
  PendingList,
  RewindResult,
  type PendingChange,
} from '@boocode/protocol';
import type { Api } from '../client.ts';
import { CliError } from '../errors.ts';
import { jsonOption, show, table, type Context } from '../output.ts';
import { findChat, findProject } from '../resolve.ts';

type Scope = { project?: string; chat?: string };

/** The queue's scope as the API takes it: a project, a coder chat, or both. */
async function scopeOf(api: Api, opts: Scope): Promise<{ projectId?: string; chatId?: string }> {
  if (!opts.project && !opts.chat) throw new CliError('Give --project or --chat.', 2);
  return {
    ...(opts.project ? { projectId: (await findProject(api, opts.project)).id } : {}),
    ...(opts.chat ? { chatId: (await findChat(api, opts.chat)).id } : {}),
  };
}

const scoped = (c: Command) =>
  c
    .option('-p, --project <project>', 'the project: its name, folder or id')
    .option('-c, --chat <chat>', 'only the changes of this coder chat');

export function unifiedDiff(c: PendingChange): string[] {
  const a = c.kind === 'create' ? '/dev/null' : `a/${c.path}`;
  const b = c.kind === 'delete' ? '/dev/null' : `b/${c.path}`;
  const lines = [`--- ${a}`, `+++ ${b}`];
  for (const h of c.hunks) {
    lines.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines);
  }
  return lines;
}

export function pendingCommand(program: Command, ctx: Context): void {
  const pending = program
    .command('pending')
    .description('the changes waiting for review: list, diff, apply, rewind');

  scoped(pending.command('list').description('list pending changes'))
    .addOption(jsonOption())
    .action(async (opts: Scope & { json?: boolean }) => {
      const api = await ctx.api();
      const list = await api.get(PendingList, '/api/coder/pending', await scopeOf(api, opts));
      show(ctx, opts.json, list, () =>
        list.changes.length
          ? table(
              list.changes.map((c) => [c.id, c.kind, `+${c.additions} -${c.deletions}`, c.path]),
            )
          : ['No pending changes.'],
      );
    });

  scoped(pending.command('diff').description('print pending changes as a unified diff'))
    .argument('[ids...]', 'only these changes')
    .addOption(jsonOption())
    .action(async (ids: string[], opts: Scope & { json?: boolean }) => {
      const api = await ctx.api();
      const list = await api.get(PendingList, '/api/coder/pending', await scopeOf(api, opts));
      const changes = ids.length ? list.changes.filter((c) => ids.includes(c.id)) : list.changes;
      const missing = ids.filter((id) => !changes.some((c) => c.id === id));
      if (missing.length) throw new CliError(`No pending change ${missing.join(', ')}.`);
      show(ctx, opts.json, { changes }, () => changes.flatMap(unifiedDiff));
    });

  scoped(pending.command('apply').description('write pending changes to the project, all or none'))
    .argument('[ids...]', 'only these changes (default: all in scope)')
    .addOption(jsonOption())
    .action(async (ids: string[], opts: Scope & { json?: boolean }) => {
      const api = await ctx.api();
      const body = { ...(await scopeOf(api, opts)), ...(ids.length ? { ids } : {}) };
      const r = await api.post(ApplyResult, '/api/coder/apply', body);
      show(ctx, opts.json, r, () => [
        `Applied ${r.applied.length} change(s); checkpoint ${r.checkpoint.id}.`,
      ]);
    });

  scoped(
    pending
      .command('rewind')
      .description('undo an applied checkpoint and every later one (default: the last)'),
  )
    .argument('[checkpoint]', 'the checkpoint id (boocode pending apply prints it)')
    .addOption(jsonOption())
    .action(async (checkpoint: string | undefined, opts: Scope & { json?: boolean }) => {
      const api = await ctx.api();
      let id = checkpoint;
      if (!id) {
        const list = await api.get(
          CheckpointList,
          '/api/coder/checkpoints',
          await scopeOf(api, opts),
        );
        const last = list.checkpoints.find((c) => c.rewoundAt === null); // newest first
        if (!last) throw new CliError('No checkpoint to rewind.');
        id = last.id;
      }
      const r = await api.post(RewindResult, `/api/coder/checkpoints/${id}/rewind`);
      show(ctx, opts.json, r, () => [
        `Rewound ${r.rewound.length} checkpoint(s); restored ${r.restored.join(', ') || 'nothing'}.`,
      ]);
    });
}
