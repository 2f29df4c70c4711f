import { useEffect } from 'react';
import {
  ChatMcpSettings,
  McpServerList,
  McpServerStatus,
  type McpServerConfig,
} from '@boocode/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import { wsClient } from '../../lib/ws-client.ts';

export const mcpKey = ['mcp', 'servers'] as const;
const chatMcpKey = (chatId: string) => ['mcp', 'chat', chatId] as const;

const serverUrl = (name: string) => `/api/mcp/servers/${encodeURIComponent(name)}`;
const chatMcpUrl = (chatId: string) => `/api/chats/${encodeURIComponent(chatId)}/mcp`;

/**
 * The MCP servers with their live status: fetched once, then kept current by the
 * socket's `mcp.changed` frames (and fetched again after the socket comes back).
 */
export function useMcpServers() {
  const qc = useQueryClient();
  useEffect(() => {
    const offFrame = wsClient.onFrame((frame) => {
      if (frame.type !== 'mcp.changed') return;
      const { servers, configPath, configError, revision } = frame;
      qc.setQueryData<McpServerList>(mcpKey, (cur) =>
        cur && cur.revision > revision ? cur : { servers, configPath, configError, revision },
      );
    });
    const offOpen = wsClient.onOpen(() => void qc.invalidateQueries({ queryKey: mcpKey }));
    return () => {
      offFrame();
      offOpen();
    };
  }, [qc]);
  return useQuery({
    queryKey: mcpKey,
    queryFn: async ({ signal }) => {
      const fetched = await api('/api/mcp/servers', { schema: McpServerList, signal });
      // A frame newer than this answer may have landed while it was on its way.
      const cur = qc.getQueryData<McpServerList>(mcpKey);
      return cur && cur.revision > fetched.revision ? cur : fetched;
    },
    staleTime: 0,
  });
}

/** After a change: the list as it is now (the socket's frames may have told it already). */
function useRefetch() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: mcpKey });
}

/** Adds a server; its error is shown by the form, not as a toast. */
export function useAddMcpServer() {
  const refetch = useRefetch();
  return useMutation({
    mutationFn: (body: { name: string; config: McpServerConfig }) =>
      api('/api/mcp/servers', { method: 'POST', body, schema: McpServerStatus }),
    meta: { silent: true },
    onSuccess: refetch,
  });
}

export function useSetMcpEnabled() {
  const refetch = useRefetch();
  return useMutation({
    mutationFn: ({ name, enabled }: { name: string; enabled: boolean }) =>
      api(serverUrl(name), { method: 'PATCH', body: { enabled }, schema: McpServerStatus }),
    onSuccess: refetch,
  });
}

export function useRestartMcpServer() {
  const refetch = useRefetch();
  return useMutation({
    mutationFn: (name: string) =>
      api(`${serverUrl(name)}/restart`, { method: 'POST', schema: McpServerStatus }),
    onSuccess: refetch,
  });
}

export function useRemoveMcpServer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api(serverUrl(name), { method: 'DELETE' }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['mcp', 'chat'] });
      return qc.invalidateQueries({ queryKey: mcpKey });
    },
  });
}

/** The servers turned off in one chat. */
export function useChatMcp(chatId: string, enabled: boolean) {
  return useQuery({
    queryKey: chatMcpKey(chatId),
    queryFn: ({ signal }) => api(chatMcpUrl(chatId), { schema: ChatMcpSettings, signal }),
    enabled,
  });
}

/** Turns a server on or off in one chat, showing it at once and undoing it if refused. */
export function useSetChatMcp(chatId: string) {
  const qc = useQueryClient();
  const key = chatMcpKey(chatId);
  return useMutation({
    mutationFn: ({ name, enabled }: { name: string; enabled: boolean }) =>
      api(`${chatMcpUrl(chatId)}/${encodeURIComponent(name)}`, {
        method: 'PUT',
        body: { enabled },
      }),
    onMutate: async ({ name, enabled }) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<ChatMcpSettings>(key);
      qc.setQueryData<ChatMcpSettings>(key, (s) => {
        const off = (s?.disabledServers ?? []).filter((n) => n !== name);
        return { disabledServers: enabled ? off : [...off, name] };
      });
      return { before };
    },
    onError: (_err, _vars, ctx) => {
      if (ctx?.before) qc.setQueryData(key, ctx.before);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
}
