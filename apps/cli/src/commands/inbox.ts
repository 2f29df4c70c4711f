import type { Command } from 'commander';
import { InboxList, QuestionReply } from '@boocode/protocol';
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
          ? list.items.map((i) =>
              i.kind === 'permission'
                ? `${i.permissionId}  ${i.provider}  ${i.title}\n  options: ${i.options.map((o) => `${o.id} (${o.name})`).join(', ')}`
                : `${i.questionId}  ${i.asker} asks: ${i.question}\n  answer with any text`,
            )
          : ['Nothing is waiting.'],
      );
    });

  inbox
    .command('answer')
    .description('answer a waiting request with one of its options, or a question with text')
    .argument('<id>', 'its id (boocode inbox list)')
    .argument('<answer>', "an option's id or name; for a question, the answer itself")
    .action(async (id: string, answer: string) => {
      const api = await ctx.api();
      const { items } = await api.get(InboxList, '/api/coder/inbox');
      const item = items.find(
        (i) => (i.kind === 'permission' ? i.permissionId : i.questionId) === id,
      );
      if (!item) throw new CliError(`Nothing waits under ${id} (answered already, or gone).`);
      if (item.kind === 'question') {
        await api.post(QuestionReply, `/api/coder/questions/${id}/answer`, { answer });
        ctx.out('Answered.\n');
        return;
      }
      const picked = item.options.find((o) => o.id === answer || o.name === answer);
      if (!picked) {
        throw new CliError(
          `"${answer}" is not an option here: ${item.options.map((o) => o.id).join(', ')}.`,
        );
      }
      await api.post(z.object({ ok: z.literal(true) }), `/api/coder/permissions/${id}`, {
        optionId: picked.id,
      });
      ctx.out(`Answered: ${picked.name}.\n`);
    });
}
