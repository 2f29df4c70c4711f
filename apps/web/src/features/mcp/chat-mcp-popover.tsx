import { useState } from 'react';
import { cn } from '@boocode/ui';
import { Plug } from 'lucide-react';
import { ChecklistPopover } from '../../components/checklist-popover.tsx';
import { useChatMcp, useMcpServers, useSetChatMcp } from './mcp-api.ts';

/** Which MCP servers' tools this chat uses (all of them unless turned off here). */
export function ChatMcpPopover({ chatId }: { chatId: string }) {
  const [open, setOpen] = useState(false);
  const servers = useMcpServers();
  const settings = useChatMcp(chatId, open);
  const setServer = useSetChatMcp(chatId);
  const list = (servers.data?.servers ?? []).filter((s) => s.target !== '');
  const off = new Set(settings.data?.disabledServers ?? []);

  return (
    <ChecklistPopover
      open={open}
      onOpenChange={setOpen}
      label="MCP tools"
      title="MCP servers this chat uses"
      icon={<Plug />}
      description="The servers whose tools this chat may call. Add servers in Settings."
      pending={settings.isPending || servers.isPending}
      error={
        settings.isError
          ? `Could not load this chat’s MCP settings: ${settings.error.message}`
          : null
      }
      empty="No MCP servers configured."
      items={list.map((s) => ({
        id: s.name,
        label: s.name,
        mono: true,
        checked: !off.has(s.name),
        detail: (
          <span
            className={cn(
              'shrink-0 text-[11px]',
              s.state === 'ready' ? 'text-muted-foreground' : 'text-destructive-text',
              s.state === 'disabled' && 'text-muted-foreground',
            )}
          >
            {s.state === 'ready' ? `${s.tools.length} tools` : s.state}
          </span>
        ),
      }))}
      onCheckedChange={(name, enabled) => setServer.mutate({ name, enabled })}
    />
  );
}
