import { useState } from 'react';
import { Popover, Spinner, cn } from '@boocode/ui';
import { Plug } from 'lucide-react';
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
    <Popover
      open={open}
      onOpenChange={setOpen}
      label="MCP tools"
      trigger={{
        variant: 'ghost',
        size: 'icon',
        'aria-label': 'MCP tools',
        title: 'MCP servers this chat uses',
        children: <Plug />,
      }}
    >
      <h2 className="text-xs font-medium">MCP tools</h2>
      <p className="text-muted-foreground mt-0.5 mb-2 text-xs">
        The servers whose tools this chat may call. Add servers in Settings.
      </p>
      {settings.isPending || servers.isPending ? (
        <div className="text-muted-foreground flex justify-center py-2">
          <Spinner />
          <span className="sr-only">Loading…</span>
        </div>
      ) : settings.isError ? (
        <p role="alert" className="text-destructive-text text-xs">
          Could not load this chat’s MCP settings: {settings.error.message}
        </p>
      ) : list.length === 0 ? (
        <p className="text-muted-foreground text-xs">No MCP servers configured.</p>
      ) : (
        <ul className="max-h-60 space-y-0.5 overflow-y-auto">
          {list.map((s) => (
            <li key={s.name}>
              <label className="hover:bg-accent flex cursor-pointer items-center gap-2 rounded-md px-1.5 py-1 text-sm">
                <input
                  type="checkbox"
                  className="accent-primary size-3.5"
                  checked={!off.has(s.name)}
                  onChange={(e) => setServer.mutate({ name: s.name, enabled: e.target.checked })}
                />
                <span className="min-w-0 flex-1 truncate font-mono text-xs">{s.name}</span>
                <span
                  className={cn(
                    'shrink-0 text-[11px]',
                    s.state === 'ready' ? 'text-muted-foreground' : 'text-destructive-text',
                    s.state === 'disabled' && 'text-muted-foreground',
                  )}
                >
                  {s.state === 'ready' ? `${s.tools.length} tools` : s.state}
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </Popover>
  );
}
