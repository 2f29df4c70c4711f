import {
  ApplyResult,
  CheckpointList,
  CoderChat,
  PendingList,
  RejectResult,
  RewindResult,
  type Chat,
} from '@boocode/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

/** Everything of one coder chat: its pending changes and its checkpoints. */
export const coderKey = (chatId: string) => ['coder', chatId] as const;
const pendingKey = (chatId: string) => [...coderKey(chatId), 'pending'] as const;
const checkpointsKey = (chatId: string) => [...coderKey(chatId), 'checkpoints'] as const;
const chatKey = (chatId: string) => [...coderKey(chatId), 'chat'] as const;

const q = (chatId: string) => `chatId=${encodeURIComponent(chatId)}`;

export function createCoderChat(projectId: string, model?: string): Promise<Chat> {
  return api('/api/coder/chats', {
    method: 'POST',
    body: { projectId, model },
    schema: CoderChat,
  }).then((r) => r.chat);
}

export function usePending(chatId: string) {
  return useQuery({
    queryKey: pendingKey(chatId),
    queryFn: ({ signal }) =>
      api(`/api/coder/pending?${q(chatId)}`, { schema: PendingList, signal }),
  });
}

export function useCheckpoints(chatId: string) {
  return useQuery({
    queryKey: checkpointsKey(chatId),
    queryFn: ({ signal }) =>
      api(`/api/coder/checkpoints?${q(chatId)}`, { schema: CheckpointList, signal }),
  });
}

export function useCoderChat(chatId: string) {
  return useQuery({
    queryKey: chatKey(chatId),
    queryFn: ({ signal }) =>
      api(`/api/coder/chats/${encodeURIComponent(chatId)}`, { schema: CoderChat, signal }),
  });
}

/** After any decision the queue and the checkpoints both change. */
function useRefresh(chatId: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: coderKey(chatId) });
}

export function useApply(chatId: string) {
  const refresh = useRefresh(chatId);
  return useMutation({
    mutationFn: (ids?: string[]) =>
      api('/api/coder/apply', { method: 'POST', body: { chatId, ids }, schema: ApplyResult }),
    onSettled: refresh,
  });
}

export function useReject(chatId: string) {
  const refresh = useRefresh(chatId);
  return useMutation({
    mutationFn: (ids?: string[]) =>
      api('/api/coder/reject', { method: 'POST', body: { chatId, ids }, schema: RejectResult }),
    onSettled: refresh,
  });
}

export function useRewind(chatId: string) {
  const refresh = useRefresh(chatId);
  return useMutation({
    mutationFn: (checkpointId: string) =>
      api(`/api/coder/checkpoints/${encodeURIComponent(checkpointId)}/rewind`, {
        method: 'POST',
        schema: RewindResult,
      }),
    onSettled: refresh,
  });
}

export function useSetAutoApply(chatId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (autoApply: boolean) =>
      api(`/api/coder/chats/${encodeURIComponent(chatId)}/settings`, {
        method: 'PUT',
        body: { autoApply },
        schema: CoderChat,
      }),
    onSuccess: (r) => qc.setQueryData(chatKey(chatId), r),
  });
}
