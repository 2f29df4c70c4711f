import type { Command } from 'commander';
import { InboxList } from '@boocode/protocol';
import { z } from 'zod';
import { CliError } from '../errors.ts';
import { jsonOption, show, type Context } from '../output.ts';

export function inboxCommand(program: Command, ctx: Context): void {
  const inbox = program
    .command('inbox')
    .description('what agents are waiting for: list it, answer it');

  inbox
    .command('list')
    .description('list the questions waiting for an answer, oldest first')
    .addOption(jsonOption())
    .action(async (opts: { json?: boolean }) => {
      const api = await ctx.api();
      const list = await api.get(InboxList, '/api/coder/inbox');
      show(ctx, opts.json, list, () =>
        list.items.length
          ? list.items.map(
              (i) =>
                `${i.permissionId}  ${i.provider}  ${i.title}\n  options: ${i.options.map((o) => `${o.id} (${o.name})`).join(', ')}`,
            )
          : ['Nothing is waiting.'],
      );
    });

  inbox
    .command('answer')
    .description('answer a waiting question with one of its options')
    .argument('<id>', 'the question id (boocode inbox list)')
    .argument('<option>', "an option's id or its name")
    .action(async (id: string, option: string) => {
      const api = await ctx.api();
      const { items } = await api.get(InboxList, '/api/coder/inbox');
      const item = items.find((i) => i.permissionId === id);
      if (!item) throw new CliError(`Nothing waits under ${id} (answered already, or gone).`);
      const picked = item.options.find((o) => o.id === option || o.name === option);
      if (!picked) {
        throw new CliError(
          `"${option}" is not an option here: ${item.options.map((o) => o.id).join(', ')}.`,
        );
      }
      await api.post(z.object({ ok: z.literal(true) }), `/api/coder/permissions/${id}`, {
        optionId: picked.id,
      });
      ctx.out(`Answered: ${picked.name}.\n`);
    });
}
