import type { Command } from 'commander';
import {
  Accepted,
  ChatList,
  ChatSnapshot,
  ServerFrame,
  type MessageStatus,
} from '@boocode/protocol';
import { CliError } from '../errors.ts';
import { jsonOption, show, table, type Context } from '../output.ts';
import { findChat } from '../resolve.ts';

export function chatsCommand(program: Command, ctx: Context): void {
  const chats = program.command('chats').description('list chats and talk to them');

  chats
    .command('list')
    .description('list chats, most recently used first')
    .addOption(jsonOption())
    .action(async (opts: { json?: boolean }) => {
      const api = await ctx.api();
      const list = await api.get(ChatList, '/api/chats');
      show(ctx, opts.json, list, () =>
        table(
          list.chats.map((c) => [
            c.id,
            c.kind,
            list.running.includes(c.id) ? 'running' : '',
            c.title,
          ]),
        ),
      );
    });

  chats
    .command('send')
    .description("send a message and print the model's reply as it streams")
    .argument('<chat>', 'the chat: its id, the start of its id, or its title')
    .argument('<text>', 'the message')
    .option('--model <model>', 'the model for this reply')
    .action(async (ref: string, text: string, opts: { model?: string }) => {
      const api = await ctx.api();
      const chat = await findChat(api, ref);
      const { seq } = await api.get(ChatSnapshot, `/api/chats/${chat.id}`, { limit: 1 });
      const { messageId } = await api.post(Accepted, `/api/chats/${chat.id}/messages`, {
        content: text,
        ...(opts.model ? { model: opts.model } : {}),
      });
      // Subscribed after the send but from the seq before it: the replay misses nothing.
      const status = await api.follow(
        '/api/ws',
        {},
        ServerFrame,
        (f): MessageStatus | undefined => {
          if (f.type === 'error') throw new CliError(f.message);
          if (f.type === 'chat.resync' && f.chatId === chat.id) {
            throw new CliError('The reply is older than the server keeps; see it in the app.');
          }
          if (!('messageId' in f) || f.messageId !== messageId) return undefined;
          if (f.type === 'chat.part.delta' && f.part === 'text') ctx.out(f.text);
          if (f.type === 'chat.part.delta' && f.part === 'error') ctx.err(f.text);
          return f.type === 'chat.message.finished' ? f.status : undefined;
        },
        { type: 'chat.subscribe', chatId: chat.id, afterSeq: seq },
      );
      ctx.out('\n');
      if (status !== 'complete') throw new CliError(`The reply ended ${status}.`);
    });
}
