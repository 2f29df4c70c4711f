import { Accepted, Chat, ChatList, ChatSnapshot, MessagePage, ModelList } from '@boocode/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

const chatUrl = (chatId: string) => `/api/chats/${encodeURIComponent(chatId)}`;

export const chatsKey = ['chats'] as const;
export const modelsKey = ['models'] as const;

export function fetchSnapshot(chatId: string, signal?: AbortSignal): Promise<ChatSnapshot> {
  return api(chatUrl(chatId), { schema: ChatSnapshot, signal });
}

/** The page of messages just before position `before`, oldest first. */
export function fetchOlder(chatId: string, before: number): Promise<MessagePage> {
  return api(`${chatUrl(chatId)}/messages?before=${before}`, { schema: MessagePage });
}

/** Chats newest first; `q` searches titles and message text on the server. */
export function useChats(q: string) {
  const query = q.trim();
  return useQuery({
    queryKey: [...chatsKey, query],
    queryFn: ({ signal }) =>
      api(query ? `/api/chats?q=${encodeURIComponent(query)}` : '/api/chats', {
        schema: ChatList,
        signal,
      }),
    placeholderData: (prev) => prev,
  });
}

export function useModels() {
  return useQuery({
    queryKey: modelsKey,
    queryFn: ({ signal }) => api('/api/models', { schema: ModelList, signal }),
    staleTime: 60_000,
  });
}

/** Asks the server to query the endpoint again instead of answering from its cache. */
export function useRefreshModels() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api('/api/models?refresh=1', { schema: ModelList }),
    onSuccess: (list) => qc.setQueryData(modelsKey, list),
  });
}

export function useCreateChat() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { title?: string; model?: string; projectId?: string; agentId?: string }) =>
      api('/api/chats', { method: 'POST', body, schema: Chat }),
    onSuccess: () => qc.invalidateQueries({ queryKey: chatsKey }),
  });
}

export function useUpdateChat() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      chatId,
      ...body
    }: {
      chatId: string;
      title?: string;
      model?: string;
      projectId?: string | null;
    }) => api(chatUrl(chatId), { method: 'PATCH', body, schema: Chat }),
    onSuccess: () => qc.invalidateQueries({ queryKey: chatsKey }),
  });
}

export function useDeleteChat() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (chatId: string) => api(chatUrl(chatId), { method: 'DELETE' }),
    onSuccess: (_void, chatId) => {
      // Gone at once from every cached list (search results too), then refetched.
      qc.setQueriesData<ChatList>({ queryKey: chatsKey }, (list) =>
        list ? { ...list, chats: list.chats.filter((c) => c.id !== chatId) } : list,
      );
      return qc.invalidateQueries({ queryKey: chatsKey });
    },
  });
}

/** A new chat holding copies of the messages up to and including `messageId`. */
export function useForkChat() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ chatId, messageId }: { chatId: string; messageId: string }) =>
      api(`${chatUrl(chatId)}/fork`, { method: 'POST', body: { messageId }, schema: Chat }),
    onSuccess: () => qc.invalidateQueries({ queryKey: chatsKey }),
  });
}

export type ExportFormat = 'markdown' | 'json';

/** The chat as a file download (the server names it through Content-Disposition). */
export function exportUrl(chatId: string, format: ExportFormat): string {
  return `${chatUrl(chatId)}/export?format=${format}`;
}

/** The calls that start or end a reply; their results arrive as WS events. */
export const replyApi = {
  send: (chatId: string, content: string, model?: string) =>
    api(`${chatUrl(chatId)}/messages`, {
      method: 'POST',
      body: { content, model },
      schema: Accepted,
    }),
  stop: (chatId: string) => api(`${chatUrl(chatId)}/stop`, { method: 'POST' }),
  compact: (chatId: string, model?: string) =>
    api(`${chatUrl(chatId)}/compact`, { method: 'POST', body: { model }, schema: Accepted }),
  regenerate: (chatId: string, model?: string) =>
    api(`${chatUrl(chatId)}/regenerate`, { method: 'POST', body: { model } }),
  edit: (chatId: string, messageId: string, content: string, model?: string) =>
    api(`${chatUrl(chatId)}/messages/${encodeURIComponent(messageId)}/edit`, {
      method: 'POST',
      body: { content, model },
    }),
};
